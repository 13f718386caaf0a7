package org.bn4j.inception.cli;

import org.bn4j.inception.UserError;
import org.bn4j.inception.data.ImageBatches;
import org.bn4j.inception.data.ImageFolderData;
import org.bn4j.inception.data.ImagePreprocessing;
import org.bn4j.inception.data.ImageShape;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * {@code train} options for how images become network input squares ({@link ImagePreprocessing}, saved with the
 * model): crops and input normalization. Without them, images are squashed as before (and {@code --augment} is the
 * small crop and flip), pixels in [0, 1].
 */
public class CropOptionsMixin {

    @Option(names = "--crop", defaultValue = "squash", paramLabel = "squash|centre",
            description = "squash: resize each whole image to the square (aspect ratio lost); centre: keep the centre "
                    + "square of --centre-fraction of the shorter side, resized (aspect kept; validation, evaluate, "
                    + "predict and non-augmented training). Default: ${DEFAULT-VALUE}.")
    String crop;

    @Option(names = "--centre-fraction", defaultValue = "0.875", paramLabel = "F",
            description = "Share of the shorter side kept by --crop centre; 0.875 = 224/256, the ImageNet "
                    + "convention (default: ${DEFAULT-VALUE}).")
    double centreFraction;

    @Option(names = "--random-resized-crop",
            description = "Augment training images with the Inception random-resized crop (area --min-crop-area..1, "
                    + "aspect ratio 3/4..4/3) and a horizontal flip, instead of --augment's small crop; implies "
                    + "--augment.")
    boolean randomResizedCrop;

    @Option(names = "--min-crop-area", defaultValue = "0.08", paramLabel = "A",
            description = "Smallest area share of a random-resized crop (default: ${DEFAULT-VALUE}).")
    double minCropArea;

    @Option(names = "--normalize",
            description = "Subtract each channel's mean and divide by its standard deviation, computed once from up to "
                    + "--normalize-images training images and saved with the model (evaluate and predict apply "
                    + "them). Default: off (pixels in [0, 1]).")
    boolean normalize;

    @Option(names = "--normalize-images", defaultValue = "1000", paramLabel = "N",
            description = "Training images (evenly spaced) the statistics of --normalize come from "
                    + "(default: ${DEFAULT-VALUE}).")
    int normalizeImages;

    /** The crops these options choose, without statistics (see {@link #withStatistics}). */
    ImagePreprocessing preprocessing() {
        return new ImagePreprocessing(crop, centreFraction, randomResizedCrop, minCropArea, null, null);
    }

    /**
     * The preprocessing these options choose: with {@code --normalize}, the statistics of {@code data}'s training
     * images decoded as {@code shape}.
     */
    ImagePreprocessing withStatistics(ImageShape shape, ImageFolderData data, int batchSize, PrintStream out) {
        ImagePreprocessing crops = preprocessing();
        if (!normalize) {
            return crops;
        }
        if (normalizeImages < 1) {
            throw new UserError("--normalize-images must be at least 1, got " + normalizeImages);
        }
        double[][] statistics = new ImageBatches(shape, data.labels(), crops).checking(data.badFiles())
                .channelStatistics(data.train(), normalizeImages, batchSize);
        out.println("input normalization: mean " + Arrays.toString(statistics[0]) + ", std "
                + Arrays.toString(statistics[1]) + " (" + Math.min(normalizeImages, data.train().size())
                + " training images)");
        return crops.withStatistics(statistics[0], statistics[1]);
    }

    /** Whether training images are augmented in some way. */
    boolean augments(boolean augment) {
        return augment || randomResizedCrop;
    }
}
