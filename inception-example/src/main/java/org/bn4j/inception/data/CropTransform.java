package org.bn4j.inception.data;

import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.datavec.image.data.ImageWritable;
import org.datavec.image.transform.BaseImageTransform;

import java.util.Random;

import static org.bytedeco.opencv.global.opencv_core.flip;

/**
 * The aspect-preserving crops of {@link CropWindow} as a DataVec transform: DataVec's {@code NativeImageLoader} applies
 * it to the decoded image at its own size, then resizes the crop to the network input. {@link #centre} for
 * validation, {@code evaluate} and {@code predict}; {@link #randomResized} (plus a horizontal flip with probability
 * 1/2) for training.
 */
public final class CropTransform extends BaseImageTransform<Mat> {

    private final double centreFraction;
    private final double minArea;
    private final boolean training;

    private CropTransform(Random random, double centreFraction, double minArea, boolean training) {
        super(random);
        this.converter = new OpenCVFrameConverter.ToMat();
        this.centreFraction = centreFraction;
        this.minArea = minArea;
        this.training = training;
    }

    /** The centre crop of {@code fraction} of the shorter side (deterministic). */
    public static CropTransform centre(double fraction) {
        return new CropTransform(null, fraction, 1, false);
    }

    /** A random-resized crop of area {@code [minArea, 1]} and a flip with probability 1/2, drawn from {@code random}. */
    public static CropTransform randomResized(double minArea, Random random) {
        return new CropTransform(random, 1, minArea, true);
    }

    @Override
    protected ImageWritable doTransform(ImageWritable image, Random random) {
        if (image == null) {
            return null;
        }
        Mat mat = converter.convert(image.getFrame());
        CropWindow window = training
                ? CropWindow.randomResized(mat.cols(), mat.rows(), minArea, 1, random)
                : CropWindow.centre(mat.cols(), mat.rows(), centreFraction);
        Mat result = mat.apply(new Rect(window.x(), window.y(), window.width(), window.height()));
        if (training && random.nextBoolean()) {
            Mat flipped = new Mat();
            flip(result, flipped, 1);                                  // around the vertical axis: left-right
            result = flipped;
        }
        return new ImageWritable(converter.convert(result));
    }
}
