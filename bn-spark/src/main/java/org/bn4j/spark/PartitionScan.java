package org.bn4j.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What one partition of the data holds: the number of mini-batches that count for Algorithm 2 and of those skipped
 * (by {@code PopulationStatistics.counts}, the single-machine rule), and the feature shape (without the example
 * dimension) of its first mini-batch, or the first two shapes that differ.
 */
final class PartitionScan implements Serializable {

    private static final long serialVersionUID = 1L;

    final int partition;
    final int countedBatches;
    /** Single-example mini-batches that do not count (some normalization layer would see one value per feature). */
    final int skippedBatches;
    /** Shape of the first mini-batch (null for an empty partition). */
    final String shape;
    /** A shape that differs from {@link #shape} inside this partition, else null. */
    final String otherShape;
    /** Position of the mini-batch with {@link #otherShape} in the partition, else -1. */
    final int otherShapeAt;

    private PartitionScan(int partition, int countedBatches, int skippedBatches, String shape, String otherShape,
                          int otherShapeAt) {
        this.partition = partition;
        this.countedBatches = countedBatches;
        this.skippedBatches = skippedBatches;
        this.shape = shape;
        this.otherShape = otherShape;
        this.otherShapeAt = otherShapeAt;
    }

    /**
     * Scans the mini-batches of one partition.
     *
     * @param shapeOf       the feature shapes of a mini-batch, e.g. "[1, 28, 28]" (without the example dimension)
     * @param counts        whether Algorithm 2 counts a mini-batch (asked only after its shape was checked)
     */
    static <T> PartitionScan of(int partition, Iterator<T> batches, Function<T, String> shapeOf,
                                Predicate<T> counts) {
        int counted = 0;
        int skipped = 0;
        int position = 0;
        String first = null;
        while (batches.hasNext()) {
            T batch = batches.next();
            String shape = shapeOf.apply(batch);
            if (first == null) {
                first = shape;
            } else if (!first.equals(shape)) {
                return new PartitionScan(partition, counted, skipped, first, shape, position);
            }
            if (counts.test(batch)) {
                counted++;
            } else {
                skipped++;
            }
            position++;
        }
        return new PartitionScan(partition, counted, skipped, first, null, -1);
    }

    /** "[d1, d2, ...]" of {@code shape} without its first (example) dimension. */
    static String featureShape(long[] shape) {
        return Arrays.toString(Arrays.copyOfRange(shape, 1, shape.length));
    }
}
