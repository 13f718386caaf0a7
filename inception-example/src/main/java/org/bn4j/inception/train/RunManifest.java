package org.bn4j.inception.train;

import org.bn4j.inception.data.DataProvenance;
import org.bn4j.inception.data.ImagePreprocessing;
import org.bn4j.inception.recipe.Recipe;

import java.time.Instant;
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

    /** The manifest of a run of {@code recipe} with {@code network} on {@code data} that starts now. */
    public static RunManifest started(Recipe recipe, NetworkSettings network, DataProvenance data,
                                      TrainingSettings settings, int iterationsPerEpoch, List<String> arguments,
                                      ImagePreprocessing preprocessing) {
        return new RunManifest(FORMAT_VERSION, recipe, network, data, settings.epochs(), settings.batchSize(),
                settings.seed(), settings.augment(), iterationsPerEpoch, Instant.now().toString(), arguments,
                preprocessing);
    }

    /**
     * This (saved) run continued to {@code epochs} epochs, with the options {@code arguments} (null: keeps the saved
     * ones); everything else stays as saved.
     */
    public RunManifest continuedTo(int epochs, List<String> arguments) {
        return new RunManifest(formatVersion, recipe, network, data, epochs, batchSize, seed, augment,
                iterationsPerEpoch, createdAt, arguments != null ? arguments : this.arguments, preprocessing);
    }
}
