package org.bn4j.inception.train;

import org.bn4j.inception.UserError;
import java.nio.file.Path;

/**
 * How long and where to train.
 *
 * @param epochs          passes over the training images
 * @param batchSize       images per mini-batch
 * @param checkpointEvery iterations between checkpoints (a checkpoint is also written after every epoch)
 * @param outDir          where checkpoint, final model, run manifest and metrics go
 * @param seed            seed of shuffling, augmentation and weight initialization
 * @param augment         random crop and horizontal flip of training images
 */
public record TrainingSettings(int epochs, int batchSize, int checkpointEvery, Path outDir, long seed,
                               boolean augment) {

    /** Throws IllegalArgumentException for non-positive counts. */
    public TrainingSettings {
        if (epochs <= 0 || batchSize <= 0 || checkpointEvery <= 0) {
            throw new UserError("epochs, batch size and checkpoint interval must be > 0");
        }
    }
}
