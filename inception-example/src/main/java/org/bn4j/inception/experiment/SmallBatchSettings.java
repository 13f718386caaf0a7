package org.bn4j.inception.experiment;

import org.bn4j.RenormSchedule;
import org.bn4j.inception.UserError;
import org.bn4j.inception.net.ConvolutionKind;

import java.util.List;

/**
 * Settings of the small-batch experiment ({@link SmallBatchExperiment}).
 *
 * <p><b>Primary comparison</b> (Ioffe 2017 §4.2, "Microbatches"): every run has mini-batches of {@code miniBatch}
 * (G) and the same number of steps ({@code epochs}); only the examples the normalization statistics are computed
 * over change: the whole G ({@code bn-G}), micro-batches of B ({@code ghost-B}), or micro-batches of B with Batch
 * Renormalization ({@code ghost-renorm-B}), for each B of {@code microBatches}.
 *
 * <p><b>Secondary comparison</b> (a different question, confounded by the step count): true mini-batches of B
 * ({@code bn-B}, {@code renorm-B}) for {@code smallBatchEpochs} epochs, compared with {@code bn-G} after the same
 * number of epochs (the same images seen; B takes G/B times more SGD steps). 0 skips it.
 *
 * <p>Batch Renormalization's schedule is scaled to each run's steps: r_max = 3 and d_max = 5 as in Ioffe 2017, with
 * the paper's proportions of warm-up (5k), d_max reached (25k) and r_max reached (40k) taken of the run's steps.
 *
 * @param miniBatch        G, the mini-batch of the primary comparison (the paper's 32 per worker)
 * @param microBatches     B, the micro-batch sizes, each in [2, G)
 * @param epochs           passes over the training images of the primary comparison's runs
 * @param smallBatchEpochs passes over the training images of the secondary comparison's runs (0: none; at most
 *                         {@code epochs}, since {@code bn-G}'s accuracy after that many epochs is their reference)
 * @param imageSize        images are resized to {@code imageSize × imageSize}
 * @param widthMultiplier  factor on every channel count of the paper's Figure 5
 * @param trainLimit       training images used (0: all)
 * @param valLimit         validation images used (0: all)
 * @param seed             seed of data sampling, shuffling and initialization (the same for every run)
 * @param convolution      which convolution layer
 */
public record SmallBatchSettings(int miniBatch, List<Integer> microBatches, int epochs, int smallBatchEpochs,
                                 int imageSize, double widthMultiplier, int trainLimit, int valLimit, long seed,
                                 ConvolutionKind convolution) {

    /** The recipe every run starts from (the paper's BN-Baseline: BN on, Inception's optimizer). */
    public static final String RECIPE = "bn-baseline";

    /** Throws a UserError naming the first out-of-range value. */
    public SmallBatchSettings {
        microBatches = microBatches.stream().sorted().distinct().toList();
        if (microBatches.isEmpty() || microBatches.get(0) < 2 || microBatches.get(microBatches.size() - 1)
                >= miniBatch) {
            throw new UserError("need micro-batch sizes in [2, mini-batch " + miniBatch + "), got " + microBatches);
        }
        if (epochs < 1 || smallBatchEpochs < 0 || smallBatchEpochs > epochs) {
            throw new UserError("need epochs >= 1 and 0 <= small-batch epochs <= epochs, got " + epochs + " and "
                    + smallBatchEpochs);
        }
        if (imageSize < 16 || trainLimit < 0 || valLimit < 0 || convolution == null) {
            throw new UserError("need image size >= 16, limits >= 0 and a convolution layer");
        }
    }

    /**
     * The default run: mini-batch 32, micro-batches 4 and 8, 28-px Fashion-MNIST at width 0.125; 6400 training
     * images, 2 epochs for the primary runs (400 steps of 32), 1 epoch for the secondary ones (1600 steps at 4, 800
     * at 8); 1000 validation images. About 35 min on 2 loaded cores (docs/results.md has the arithmetic).
     */
    public static SmallBatchSettings defaults() {
        return new SmallBatchSettings(32, List.of(4, 8), 2, 1, 28, 0.125, 6400, 1000, 42, ConvolutionKind.FAST);
    }

    /** Training steps of a run with mini-batches of {@code batchSize} for {@code runEpochs} epochs. */
    public static long steps(int runEpochs, int batchSize, int trainImages) {
        return (long) runEpochs * ((trainImages + batchSize - 1) / batchSize);
    }

    /** The renorm schedule for a run of {@code steps} steps: the paper's 5k/25k/40k of 40k, as fractions. */
    public static RenormSchedule renormSchedule(long steps) {
        long warmup = Math.round(steps * 5000.0 / 40000);
        long dMaxAt = Math.max(warmup, Math.round(steps * 25000.0 / 40000));
        return RenormSchedule.of(RenormSchedule.DEFAULT_R_MAX, RenormSchedule.DEFAULT_D_MAX, warmup, steps, dMaxAt);
    }
}
