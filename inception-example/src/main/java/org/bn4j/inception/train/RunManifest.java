package org.bn4j.inception.train;

import org.bn4j.inception.data.DataProvenance;
import org.bn4j.inception.recipe.Recipe;

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
 */
public record RunManifest(int formatVersion, Recipe recipe, NetworkSettings network, DataProvenance data, int epochs,
                          int batchSize, long seed, boolean augment, int iterationsPerEpoch, String createdAt,
                          List<String> arguments) {

    /** Current layout version; a different one is rejected when a model is loaded. */
    public static final int FORMAT_VERSION = 1;
}
