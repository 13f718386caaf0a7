package org.bn4j.inception.experiment;

import org.bn4j.inception.UserError;

/**
 * Settings of Experiment 1 (Ioffe &amp; Szegedy 2015, §4.1, Figure 1).
 *
 * @param steps           training steps (paper: 50,000)
 * @param batchSize       examples per mini-batch (paper: 60)
 * @param learningRate    plain SGD learning rate (the paper does not give one)
 * @param initStd         standard deviation of the Gaussian initial weights ("small random Gaussian values")
 * @param evalEvery       measure test accuracy every this many steps
 * @param monitorEvery    record sigmoid-input percentiles every this many steps
 * @param monitorExamples test examples in the fixed monitoring batch
 * @param unit            which sigmoid of the last hidden layer Figure 1(b,c) follows
 * @param trainLimit      at most this many training examples
 * @param testLimit       at most this many test examples
 * @param seed            seed of initialization and batch order (both networks see the same batches)
 * @param populationBatches training mini-batches of the paper's Algorithm 2 (inference statistics) for the second
 *                        accuracy curve of the network with BN, next to its moving-average statistics
 */
public record Fig1Settings(long steps, int batchSize, double learningRate, double initStd, long evalEvery,
                           int monitorEvery, int monitorExamples, int unit, int trainLimit, int testLimit,
                           long seed, int populationBatches) {

    /** Throws IllegalArgumentException naming the first out-of-range value. */
    public Fig1Settings {
        require(steps >= 1 && evalEvery >= 1 && monitorEvery >= 1, "steps, evalEvery, monitorEvery must be >= 1");
        require(batchSize >= 2, "batch size must be >= 2, got " + batchSize);
        require(learningRate > 0 && initStd > 0, "learning rate and init std must be > 0");
        require(monitorExamples >= 1 && trainLimit >= batchSize && testLimit >= 1,
                "need a monitoring batch, a training set of at least one batch, and a test set");
        require(unit >= 0 && unit < Fig1Network.HIDDEN, "unit must be in [0, " + Fig1Network.HIDDEN + ")");
        require(populationBatches >= 1, "population batches must be >= 1, got " + populationBatches);
    }

    /** The paper's scale: 50,000 steps of 60 on all 60,000 training images, accuracy on all 10,000 test images. */
    public static Fig1Settings defaults() {
        return new Fig1Settings(50_000, 60, 0.5, 0.1, 500, 250, 1000, 0, 60_000, 10_000, 1, 20);
    }

    /** A seconds-long run for tests: 300 steps, small data. */
    public static Fig1Settings quick() {
        return new Fig1Settings(300, 60, 0.5, 0.1, 100, 50, 200, 0, 6_000, 1_000, 1, 5);
    }

    /** The same settings with {@code steps} steps. */
    public Fig1Settings withSteps(long newSteps) {
        return new Fig1Settings(newSteps, batchSize, learningRate, initStd, evalEvery, monitorEvery,
                monitorExamples, unit, trainLimit, testLimit, seed, populationBatches);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new UserError(message);
        }
    }
}
