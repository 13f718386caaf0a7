package org.bn4j.inception.data;

import org.bn4j.inception.UserError;
import org.datavec.image.transform.ImageTransform;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.List;
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
 * @param mean              per-channel mean of the [0, 1] pixels of training images (in the network's channel order),
 *                          subtracted from every input; null: no normalization (the default)
 * @param std               per-channel standard deviation, dividing every input after the mean; null with mean
 */
public record ImagePreprocessing(String crop, double centreFraction, boolean randomResizedCrop, double minCropArea,
                                 List<Double> mean, List<Double> std) {

    /** The original pipeline: images squashed, augmentation (when on) by a small crop and flip, no normalization. */
    public static final ImagePreprocessing DEFAULT = new ImagePreprocessing("squash", 0.875, false, 0.08, null, null);

    /** Throws a {@link UserError} for an unknown crop or a fraction outside (0, 1]. */
    public ImagePreprocessing {
        if (!crop.equals("squash") && !crop.equals("centre")) {
            throw new UserError("--crop must be squash or centre, got " + crop);
        }
        if (!(centreFraction > 0 && centreFraction <= 1) || !(minCropArea > 0 && minCropArea <= 1)) {
            throw new UserError("crop fractions must be in (0, 1], got " + centreFraction + " and " + minCropArea);
        }
        if ((mean == null) != (std == null) || mean != null && mean.size() != std.size()) {
            throw new IllegalArgumentException("mean and std must both be given, one value per channel");
        }
    }

    /** This preprocessing, with inputs normalized by these per-channel statistics. */
    public ImagePreprocessing withStatistics(double[] channelMean, double[] channelStd) {
        return new ImagePreprocessing(crop, centreFraction, randomResizedCrop, minCropArea,
                Arrays.stream(channelMean).boxed().toList(), Arrays.stream(channelStd).boxed().toList());
    }

    /** What every batch goes through after decoding: pixels scaled to [0, 1], then the normalization if any. */
    public DataSetPreProcessor batchPreProcessor() {
        ImagePreProcessingScaler scaler = new ImagePreProcessingScaler(0, 1);
        if (mean == null) {
            return scaler;
        }
        return batch -> {
            scaler.preProcess(batch);
            normalize(batch.getFeatures());
        };
    }

    /** Normalizes {@code features} [n, C, H, W] already scaled to [0, 1], in place (no-op without statistics). */
    public void normalize(INDArray features) {
        if (mean == null) {
            return;
        }
        for (int c = 0; c < mean.size(); c++) {
            INDArray channel = features.get(NDArrayIndex.all(), NDArrayIndex.point(c), NDArrayIndex.all(),
                    NDArrayIndex.all());
            channel.subi(mean.get(c)).divi(std.get(c));
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
