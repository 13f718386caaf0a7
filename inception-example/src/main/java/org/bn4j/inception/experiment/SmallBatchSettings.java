package org.bn4j.inception.experiment;

import org.bn4j.RenormSchedule;
import org.bn4j.inception.UserError;
import org.bn4j.inception.net.ConvolutionKind;

import java.util.List;

/**
 * Settings of the small-batch experiment ({@link SmallBatchExperiment}): the example's BN-Inception at several
 * mini-batch sizes, each with plain batch normalization, Batch Renormalization, and ghost batches of that size inside
 * mini-batches of the largest size; every run sees the same images the same number of times.
 *
 * <p>Batch Renormalization's schedule is scaled to each run's length: r_max = 3 and d_max = 5 as in Ioffe 2017, with
 * the paper's proportions of warm-up (5k), d_max reached (25k) and r_max reached (40k) taken of the run's steps.
 *
 * @param batchSizes      mini-batch sizes, e.g. 4, 8, 32; the largest is the mini-batch of the ghost-batch runs
 * @param epochs          passes over the training images
 * @param imageSize       images are resized to {@code imageSize × imageSize}
 * @param widthMultiplier factor on every channel count of the paper's Figure 5
 * @param trainLimit      training images used (0: all)
 * @param valLimit        validation images used (0: all)
 * @param seed            seed of data sampling, shuffling and initialization (the same for every run)
 * @param convolution     which convolution layer
 */
public record SmallBatchSettings(List<Integer> batchSizes, int epochs, int imageSize, double widthMultiplier,
                                 int trainLimit, int valLimit, long seed, ConvolutionKind convolution) {

    /** The recipe every run starts from (the paper's BN-Baseline: BN on, Inception's optimizer). */
    public static final String RECIPE = "bn-baseline";

    /** Throws a UserError naming the first out-of-range value. */
    public SmallBatchSettings {
        batchSizes = batchSizes.stream().sorted().distinct().toList();
        if (batchSizes.isEmpty() || batchSizes.get(0) < 2) {
            throw new UserError("need at least one batch size, each >= 2, got " + batchSizes);
        }
        if (epochs < 1 || imageSize < 16 || trainLimit < 0 || valLimit < 0 || convolution == null) {
            throw new UserError("need epochs >= 1, image size >= 16, limits >= 0 and a convolution layer");
        }
    }

    /**
     * The experiment: batch sizes 4, 8, 32 on 28-px Fashion-MNIST, width 0.125, 2 epochs of 1600 training
     * images (800 steps at batch 4, 100 at batch 32), 400 validation images.
     */
    public static SmallBatchSettings defaults() {
        return new SmallBatchSettings(List.of(4, 8, 32), 2, 28, 0.125, 1600, 400, 42, ConvolutionKind.FAST);
    }

    /** The mini-batch size of the ghost-batch runs: the largest batch size. */
    public int ghostMiniBatch() {
        return batchSizes.get(batchSizes.size() - 1);
    }

    /** Training steps of a run with mini-batches of {@code batchSize}. */
    public long steps(int batchSize, int trainImages) {
        return (long) epochs * ((trainImages + batchSize - 1) / batchSize);
    }

    /** The renorm schedule for a run of {@code steps} steps: the paper's 5k/25k/40k of 40k, as fractions. */
    public static RenormSchedule renormSchedule(long steps) {
        long warmup = Math.round(steps * 5000.0 / 40000);
        long dMaxAt = Math.max(warmup, Math.round(steps * 25000.0 / 40000));
        return RenormSchedule.of(RenormSchedule.DEFAULT_R_MAX, RenormSchedule.DEFAULT_D_MAX, warmup, steps, dMaxAt);
    }
}
