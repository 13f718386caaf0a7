package org.bn4j.inception.data;

import org.bn4j.inception.UserError;
import org.datavec.image.transform.ImageTransform;

import java.util.Random;

/**
 * How an image file becomes a network input square, saved with a model so that {@code evaluate} and {@code predict}
 * do what training did.
 *
 * @param crop              {@code squash}: the whole image resized to the square, its aspect ratio lost (the
 *                          original behaviour and the default); {@code centre}: the centre square of
 *                          {@code centreFraction} of the shorter side, resized (aspect preserved)
 * @param centreFraction    share of the shorter side the centre crop keeps; 0.875 = 224/256, the ImageNet convention
 * @param randomResizedCrop training augmentation by random-resized crop and flip ({@link CropWindow#randomResized})
 *                          instead of {@code --augment}'s small crop of the squashed image
 * @param minCropArea       smallest area share of a random-resized crop (0.08 in the Inception papers and
 *                          torchvision)
 */
public record ImagePreprocessing(String crop, double centreFraction, boolean randomResizedCrop, double minCropArea) {

    /** The original pipeline: images squashed, augmentation (when on) by a small crop and flip. */
    public static final ImagePreprocessing DEFAULT = new ImagePreprocessing("squash", 0.875, false, 0.08);

    /** Throws a {@link UserError} for an unknown crop or a fraction outside (0, 1]. */
    public ImagePreprocessing {
        if (!crop.equals("squash") && !crop.equals("centre")) {
            throw new UserError("--crop must be squash or centre, got " + crop);
        }
        if (!(centreFraction > 0 && centreFraction <= 1) || !(minCropArea > 0 && minCropArea <= 1)) {
            throw new UserError("crop fractions must be in (0, 1], got " + centreFraction + " and " + minCropArea);
        }
    }

    /** The preprocessing of a saved run: {@link #DEFAULT} for runs saved before it was recorded. */
    public static ImagePreprocessing orDefault(ImagePreprocessing saved) {
        return saved == null ? DEFAULT : saved;
    }

    /** The transform of validation, evaluation and prediction images: null (squash) or the centre crop. */
    public ImageTransform evaluationTransform() {
        return crop.equals("centre") ? CropTransform.centre(centreFraction) : null;
    }

    /** The random-resized crop and flip of training images drawn from {@code random}. */
    public ImageTransform randomResizedTransform(Random random) {
        return CropTransform.randomResized(minCropArea, random);
    }
}
