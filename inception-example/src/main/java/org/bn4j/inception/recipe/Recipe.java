package org.bn4j.inception.recipe;

import org.bn4j.inception.UserError;
import org.bn4j.inception.net.BnInceptionBuilder;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * A training recipe of Ioffe &amp; Szegedy 2015, §4.2.1: the network variant and its optimization hyperparameters.
 * The named presets live in {@code recipes.json} (see {@link RecipeCatalog}).
 *
 * <p>Learning rate at epoch {@code e} (fractional, updated every iteration): {@code learningRate ·
 * lrDecayRate^(e / lrDecayEpochs)}, a smooth version of GoogLeNet's "4% every 8 epochs"; "decay 6× faster" divides
 * {@code lrDecayEpochs} by 6. The optimizer is DL4J's Nesterov momentum.
 *
 * @param name              preset name, e.g. {@code bn-x5}
 * @param description       one line on what the preset is
 * @param batchNorm         batch-normalize every convolution
 * @param activation        nonlinearity after each convolution (RELU or SIGMOID in the paper)
 * @param learningRate      initial learning rate
 * @param momentum          momentum coefficient
 * @param lrDecayRate       factor applied to the learning rate every {@code lrDecayEpochs} epochs
 * @param lrDecayEpochs     epochs per decay step
 * @param dropout           drop probability before the classifier (0: none)
 * @param l2                L2 weight decay on weights
 * @param localResponseNorm GoogLeNet's LRN in the stem
 * @param shuffle           example ordering across epochs
 * @param bnOptions         Batch Renormalization and ghost batches in the BatchNorm layers; absent in recipes and
 *                          run.json files written before they existed, which means neither
 */
public record Recipe(String name, String description, boolean batchNorm, Activation activation, double learningRate,
                     double momentum, double lrDecayRate, double lrDecayEpochs, double dropout, double l2,
                     boolean localResponseNorm, ShuffleMode shuffle, BatchNormOptions bnOptions) {

    /** Throws IllegalArgumentException naming the first out-of-range value. */
    public Recipe {
        if (bnOptions == null) {
            bnOptions = BatchNormOptions.defaults();
        }
        require(learningRate > 0, "learning rate must be > 0, got " + learningRate);
        require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got " + momentum);
        require(lrDecayRate > 0 && lrDecayRate <= 1, "lr decay rate must be in (0, 1], got " + lrDecayRate);
        require(lrDecayEpochs > 0, "lr decay epochs must be > 0, got " + lrDecayEpochs);
        require(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got " + dropout);
        require(l2 >= 0, "l2 must be >= 0, got " + l2);
        require(activation != null && shuffle != null, "activation and shuffle must be set");
    }

    /** Exponential per-iteration learning-rate schedule for an epoch of {@code iterationsPerEpoch} mini-batches. */
    public ISchedule learningRateSchedule(int iterationsPerEpoch) {
        double gamma = Math.pow(lrDecayRate, 1.0 / (lrDecayEpochs * Math.max(1, iterationsPerEpoch)));
        return new ExponentialSchedule(ScheduleType.ITERATION, learningRate, gamma);
    }

    /** Learning rate after {@code epochs} (fractional) epochs. */
    public double learningRateAt(double epochs) {
        return learningRate * Math.pow(lrDecayRate, epochs / lrDecayEpochs);
    }

    /** Applies this recipe's network variant and optimizer to a builder. */
    public BnInceptionBuilder configure(BnInceptionBuilder builder, int iterationsPerEpoch) {
        return builder.batchNorm(batchNorm)
                .activation(activation)
                .localResponseNorm(localResponseNorm)
                .dropout(dropout)
                .batchRenorm(bnOptions.batchRenorm())
                .renormSchedule(bnOptions.schedule())
                .ghostBatchSize(bnOptions.ghostBatchSize())
                .l2(l2)
                .updater(new Nesterovs(learningRateSchedule(iterationsPerEpoch), momentum));
    }

    /** Multi-line human-readable listing, printed at the start of a run. */
    public String describe() {
        return String.format(java.util.Locale.ROOT,
                "recipe %s: %s%n  batchNorm=%s activation=%s lr=%g momentum=%s lrDecay=%s every %.4g epochs"
                        + "%n  dropout=%s l2=%g lrn=%s shuffle=%s%n  %s",
                name, description, batchNorm, activation, learningRate, momentum, lrDecayRate, lrDecayEpochs,
                dropout, l2, localResponseNorm, shuffle, bnOptions.describe());
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new UserError(message);
        }
    }
}
