package org.bn4j.inception.cli;

import org.bn4j.inception.data.ImagePreprocessing;
import picocli.CommandLine.Option;

/**
 * {@code train} options for how images become network input squares ({@link ImagePreprocessing}, saved with the
 * model). Without them, images are squashed as before (and {@code --augment} is the small crop and flip).
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

    /** The preprocessing these options choose. */
    ImagePreprocessing preprocessing() {
        return new ImagePreprocessing(crop, centreFraction, randomResizedCrop, minCropArea);
    }

    /** Whether training images are augmented in some way. */
    boolean augments(boolean augment) {
        return augment || randomResizedCrop;
    }
}
