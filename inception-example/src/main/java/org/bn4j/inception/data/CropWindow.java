package org.bn4j.inception.data;

import java.util.Random;

/**
 * A rectangle of an image to crop before it is resized to the network input: the arithmetic of the crops, free of
 * any image library.
 *
 * <p>{@link #centre}: the evaluation crop of torchvision, timm and the Inception papers, "resize the shorter side to
 * S / f, then take the centre S × S": the centre square of side f × (shorter side), resized to S (the same pixels, one
 * resize instead of two). {@link #randomResized}: the Inception training crop ("random-resized crop", Szegedy et al.
 * 2015, §6; torchvision's {@code RandomResizedCrop}): an area of {@code [minArea, maxArea]} of the image and an aspect
 * ratio log-uniform in {@code [3/4, 4/3]}, placed uniformly; after 10 draws that do not fit, the centre crop of the
 * whole shorter side (with the aspect ratio clamped to the range).
 *
 * @param x      left column
 * @param y      top row
 * @param width  columns
 * @param height rows
 */
public record CropWindow(int x, int y, int width, int height) {

    /** Smallest and largest aspect ratio (width / height) of a random-resized crop. */
    public static final double MIN_RATIO = 3.0 / 4;
    /** See {@link #MIN_RATIO}. */
    public static final double MAX_RATIO = 4.0 / 3;

    /** The centre square of side {@code fraction} × the shorter side of a {@code width} × {@code height} image. */
    public static CropWindow centre(int width, int height, double fraction) {
        int side = Math.max(1, (int) Math.round(Math.min(width, height) * fraction));
        return new CropWindow((width - side) / 2, (height - side) / 2, side, side);
    }

    /** A random-resized crop of a {@code width} × {@code height} image (see the class comment). */
    public static CropWindow randomResized(int width, int height, double minArea, double maxArea, Random random) {
        double area = (double) width * height;
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (minArea + (maxArea - minArea) * random.nextDouble());
            double ratio = Math.exp(Math.log(MIN_RATIO) + (Math.log(MAX_RATIO) - Math.log(MIN_RATIO))
                    * random.nextDouble());
            int w = (int) Math.round(Math.sqrt(target * ratio));
            int h = (int) Math.round(Math.sqrt(target / ratio));
            if (w > 0 && h > 0 && w <= width && h <= height) {
                return new CropWindow(random.nextInt(width - w + 1), random.nextInt(height - h + 1), w, h);
            }
        }
        double ratio = (double) width / height;
        int w = width;
        int h = height;
        if (ratio < MIN_RATIO) {
            h = Math.max(1, (int) Math.round(width / MIN_RATIO));
        } else if (ratio > MAX_RATIO) {
            w = Math.max(1, (int) Math.round(height * MAX_RATIO));
        }
        return new CropWindow((width - w) / 2, (height - h) / 2, w, h);
    }
}
