package org.bn4j.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.function.Function;

/**
 * What one partition of the data holds, found without running the network: the number of mini-batches that count for
 * Algorithm 2 (at least 2 examples), and the feature shape (without the example dimension) of its first mini-batch,
 * or the first two shapes that differ.
 */
final class PartitionScan implements Serializable {

    private static final long serialVersionUID = 1L;

    final int partition;
    final int countedBatches;
    /** Shape of the first mini-batch (null for an empty partition). */
    final String shape;
    /** A shape that differs from {@link #shape} inside this partition, else null. */
    final String otherShape;
    /** Position of the mini-batch with {@link #otherShape} in the partition, else -1. */
    final int otherShapeAt;

    private PartitionScan(int partition, int countedBatches, String shape, String otherShape, int otherShapeAt) {
        this.partition = partition;
        this.countedBatches = countedBatches;
        this.shape = shape;
        this.otherShape = otherShape;
        this.otherShapeAt = otherShapeAt;
    }

    /**
     * Scans the mini-batches of one partition.
     *
     * @param shapeOf       the feature shapes of a mini-batch, e.g. "[1, 28, 28]" (without the example dimension)
     * @param examplesOf    the number of examples in a mini-batch
     */
    static <T> PartitionScan of(int partition, Iterator<T> batches, Function<T, String> shapeOf,
                                Function<T, Long> examplesOf) {
        int counted = 0;
        int position = 0;
        String first = null;
        while (batches.hasNext()) {
            T batch = batches.next();
            String shape = shapeOf.apply(batch);
            if (first == null) {
                first = shape;
            } else if (!first.equals(shape)) {
                return new PartitionScan(partition, counted, first, shape, position);
            }
            if (examplesOf.apply(batch) >= 2) {
                counted++;
            }
            position++;
        }
        return new PartitionScan(partition, counted, first, null, -1);
    }

    /** "[d1, d2, ...]" of {@code shape} without its first (example) dimension. */
    static String featureShape(long[] shape) {
        return Arrays.toString(Arrays.copyOfRange(shape, 1, shape.length));
    }
}
