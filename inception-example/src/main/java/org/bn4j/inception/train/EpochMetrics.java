package org.bn4j.inception.train;

/**
 * What one epoch achieved; one row of {@code metrics.csv}.
 *
 * @param epoch            1-based epoch number
 * @param iterations       total iterations after this epoch
 * @param trainLoss        mean training loss over the epoch's mini-batches (with regularization)
 * @param imagesPerSecond  training throughput (data loading included)
 * @param valAccuracy      accuracy on the validation images after the epoch
 * @param learningRate     learning rate at the end of the epoch
 * @param trainSeconds     seconds spent training in this epoch (validation excluded)
 */
public record EpochMetrics(int epoch, int iterations, double trainLoss, double imagesPerSecond, double valAccuracy,
                           double learningRate, double trainSeconds) {
}
