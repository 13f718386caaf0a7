package org.bn4j.inception.train;

import org.bn4j.inception.data.DataProvenance;
import org.bn4j.inception.data.ImagePreprocessing;
import org.bn4j.inception.recipe.Recipe;

import org.bn4j.inception.Json;
import org.bn4j.inception.UserError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How a model was made (provenance): recipe, network shape, data and training settings. Saved as {@code run.json}
 * next to the model and inside the model zip, so {@code evaluate} and {@code predict} know labels and input shape.
 *
 * @param formatVersion   version of this record's layout ({@link #FORMAT_VERSION})
 * @param recipe          the recipe actually used (after overrides)
 * @param network         input shape, width, stem
 * @param data            where the images came from
 * @param epochs          epochs requested
 * @param batchSize       mini-batch size
 * @param seed            run seed
 * @param augment         whether augmentation was on
 * @param iterationsPerEpoch mini-batches per epoch (sets the learning-rate schedule)
 * @param createdAt       ISO-8601 time the run started
 * @param arguments       the {@code train} options of the run (every option, given or default), from which
 *                        {@code train --resume} restores it; null for runs of other commands and older versions
 * @param preprocessing   how image files become network inputs (crops); null in runs saved before it was recorded,
 *                        which is {@link ImagePreprocessing#DEFAULT}
 */
public record RunManifest(int formatVersion, Recipe recipe, NetworkSettings network, DataProvenance data, int epochs,
                          int batchSize, long seed, boolean augment, int iterationsPerEpoch, String createdAt,
                          List<String> arguments, ImagePreprocessing preprocessing) {

    /** How this run's images become network inputs ({@link ImagePreprocessing#DEFAULT} for older runs). */
    public ImagePreprocessing inputPreprocessing() {
        return ImagePreprocessing.orDefault(preprocessing);
    }

    /** Current layout version; a different one is rejected when a model is loaded. */
    public static final int FORMAT_VERSION = 1;

    /**
     * Reads the manifest {@code run.json} of a run being resumed; a {@link UserError} saying what to do when it is
     * missing or damaged.
     */
    public static RunManifest readForResume(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserError("cannot resume: " + file + " is missing, so the run's settings are unknown; start "
                    + "over (delete " + file.getParent() + " or give another --out)");
        }
        try {
            return Json.read(file, RunManifest.class);
        } catch (IOException | RuntimeException e) {
            throw new UserError("cannot resume: " + file + " is damaged (" + e.getClass().getSimpleName()
                    + "), so the run's settings are unknown; restore the file from a copy, or start over (delete "
                    + file.getParent() + " or give another --out)", e);
        }
    }
}
