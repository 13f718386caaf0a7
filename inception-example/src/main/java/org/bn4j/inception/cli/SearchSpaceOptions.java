package org.bn4j.inception.cli;

import org.bn4j.BatchNorm;
import org.bn4j.PopulationAveraging;
import org.bn4j.arbiter.BatchNormLayerSpace;
import org.bn4j.inception.search.InceptionSearchSpace;
import org.bn4j.inception.search.SpaceSyntax;
import picocli.CommandLine.Option;

import static org.bn4j.inception.search.InceptionSearchSpace.DEFAULT_BATCH_NORM;
import static org.bn4j.inception.search.InceptionSearchSpace.DEFAULT_BATCH_SIZE;
import static org.bn4j.inception.search.InceptionSearchSpace.DEFAULT_DECAY_ACCELERATION;
import static org.bn4j.inception.search.InceptionSearchSpace.DEFAULT_L2;
import static org.bn4j.inception.search.InceptionSearchSpace.DEFAULT_LEARNING_RATE;
import static org.bn4j.inception.search.InceptionSearchSpace.DEFAULT_WIDTH;

/**
 * The search space on the command line. Each dimension takes a fixed value ({@code 0.01}), a range ({@code
 * 0.001:0.1}) or a list of choices ({@code 32,64}).
 */
public class SearchSpaceOptions {

    @Option(names = "--lr", defaultValue = DEFAULT_LEARNING_RATE, paramLabel = "SPACE",
            description = "Initial learning rate; a range is log-uniform (default: ${DEFAULT-VALUE}).")
    String learningRate;

    @Option(names = "--decay-acceleration", defaultValue = DEFAULT_DECAY_ACCELERATION, paramLabel = "SPACE",
            description = "Learning-rate decay speed-up over GoogLeNet's 8-epoch period (paper's BN-x5: 6; "
                    + "default: ${DEFAULT-VALUE}).")
    String decayAcceleration;

    @Option(names = "--l2", defaultValue = DEFAULT_L2, paramLabel = "SPACE",
            description = "L2 weight decay; a range is log-uniform (default: ${DEFAULT-VALUE}).")
    String l2;

    @Option(names = "--batch-sizes", defaultValue = DEFAULT_BATCH_SIZE, paramLabel = "SPACE",
            description = "Mini-batch sizes (default: ${DEFAULT-VALUE}).")
    String batchSizes;

    @Option(names = "--widths", defaultValue = DEFAULT_WIDTH, paramLabel = "SPACE",
            description = "Width multipliers of the network (default: ${DEFAULT-VALUE}).")
    String widths;

    @Option(names = "--batch-norm", defaultValue = DEFAULT_BATCH_NORM, paramLabel = "on|off|both",
            description = "Batch normalization on, off, or searched (default: ${DEFAULT-VALUE}).")
    String batchNorm;

    @Option(names = "--bn-eps", defaultValue = "" + BatchNorm.DEFAULT_EPS, paramLabel = "SPACE",
            description = "BatchNorm epsilon; a range is log-uniform (default: ${DEFAULT-VALUE}).")
    String bnEps;

    @Option(names = "--bn-decay", defaultValue = "" + BatchNorm.DEFAULT_DECAY, paramLabel = "SPACE",
            description = "BatchNorm moving-average decay; a range is uniform (default: ${DEFAULT-VALUE}).")
    String bnDecay;

    @Option(names = "--bn-averaging", defaultValue = "moving_average", paramLabel = "SPACE",
            description = "Population averaging: moving_average, cumulative, or both as a list "
                    + "(default: ${DEFAULT-VALUE}).")
    String bnAveraging;

    @Option(names = "--bn-learn-gamma-beta", defaultValue = "on", paramLabel = "on|off|both",
            description = "Learned (on) or fixed (off) BatchNorm gamma/beta (default: ${DEFAULT-VALUE}).")
    String bnLearnGammaBeta;

    /** The space these options describe; IllegalArgumentException naming the option for a bad value. */
    public InceptionSearchSpace space() {
        BatchNormLayerSpace bn = new BatchNormLayerSpace.Builder()
                .eps(SpaceSyntax.logRange(bnEps, "--bn-eps"))
                .decay(SpaceSyntax.linearRange(bnDecay, "--bn-decay"))
                .averaging(SpaceSyntax.enums(bnAveraging, "--bn-averaging", PopulationAveraging.class))
                .learnGammaBeta(SpaceSyntax.bool(bnLearnGammaBeta, "--bn-learn-gamma-beta"))
                .build();
        return new InceptionSearchSpace.Builder()
                .learningRate(SpaceSyntax.logRange(learningRate, "--lr"))
                .decayAcceleration(SpaceSyntax.doubles(decayAcceleration, "--decay-acceleration"))
                .l2(SpaceSyntax.logRange(l2, "--l2"))
                .batchSize(SpaceSyntax.integers(batchSizes, "--batch-sizes"))
                .widthMultiplier(SpaceSyntax.doubles(widths, "--widths"))
                .batchNorm(SpaceSyntax.bool(batchNorm, "--batch-norm"))
                .batchNormLayer(bn)
                .build();
    }
}
