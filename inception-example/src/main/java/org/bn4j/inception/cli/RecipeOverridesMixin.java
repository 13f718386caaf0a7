package org.bn4j.inception.cli;

import org.bn4j.inception.recipe.BatchNormOptions;
import org.bn4j.inception.recipe.RecipeOverrides;
import org.bn4j.inception.recipe.ShuffleMode;
import org.nd4j.linalg.activations.Activation;
import picocli.CommandLine.Option;

/** Command-line overrides of a recipe preset's values (paper §4.2.1); unset options keep the preset's value. */
public class RecipeOverridesMixin {

    @Option(names = "--lr", description = "Initial learning rate.")
    Double learningRate;

    @Option(names = "--momentum", description = "Momentum.")
    Double momentum;

    @Option(names = "--lr-decay-rate", description = "Learning-rate factor per decay period.")
    Double lrDecayRate;

    @Option(names = "--lr-decay-epochs", description = "Epochs per decay period.")
    Double lrDecayEpochs;

    @Option(names = "--dropout", description = "Drop probability before the classifier.")
    Double dropout;

    @Option(names = "--l2", description = "L2 weight decay.")
    Double l2;

    @Option(names = "--batch-norm", arity = "1", paramLabel = "true|false", description = "Batch-normalize.")
    Boolean batchNorm;

    @Option(names = "--lrn", arity = "1", paramLabel = "true|false", description = "Local response normalization.")
    Boolean localResponseNorm;

    @Option(names = "--activation", description = "Nonlinearity, e.g. RELU or SIGMOID.")
    Activation activation;

    @Option(names = "--shuffle", description = "ONCE or EVERY_EPOCH.")
    ShuffleMode shuffle;

    @Option(names = "--bn-renorm", arity = "1", paramLabel = "true|false",
            description = "Batch Renormalization (Ioffe 2017) in every BatchNorm layer.")
    Boolean batchRenorm;

    @Option(names = "--renorm-schedule", paramLabel = "R_MAX,D_MAX,WARMUP,R_MAX_AT,D_MAX_AT",
            description = "Batch Renormalization's limits: r_max and d_max, relaxed linearly from 1 and 0 after "
                    + "WARMUP iterations, reached at iterations R_MAX_AT and D_MAX_AT (paper: 3,5,5000,40000,25000).")
    String renormSchedule;

    @Option(names = "--ghost-batch", paramLabel = "N",
            description = "Ghost batch normalization: training statistics over sub-batches of at most N images "
                    + "(0: the whole mini-batch).")
    Integer ghostBatch;

    /** The overrides given on the command line. */
    RecipeOverrides overrides() {
        return new RecipeOverrides(batchNorm, activation, learningRate, momentum, lrDecayRate, lrDecayEpochs, dropout,
                l2, localResponseNorm, shuffle, batchRenorm,
                renormSchedule == null ? null : BatchNormOptions.parseSchedule(renormSchedule), ghostBatch);
    }
}
