package org.bn4j.spark;

import java.util.List;

/**
 * How many mini-batches each partition contributes so that the distributed pass uses exactly the first
 * {@code maxBatches} counted mini-batches of the data in its order (partition by partition), as a single-machine
 * pass over the same data would; and the checks that the data can be used at all.
 */
final class BatchQuotas {

    private BatchQuotas() {
    }

    /**
     * Quotas per partition index, from the scans of all partitions.
     *
     * @throws IllegalArgumentException if feature shapes differ between mini-batches, or no mini-batch counts
     */
    static int[] of(List<PartitionScan> scans, int maxBatches) {
        PartitionScan reference = null;
        for (PartitionScan scan : scans) {
            if (scan.otherShape != null) {
                throw inconsistent(scan.shape, scan.partition, 0, scan.otherShape, scan.partition, scan.otherShapeAt);
            }
            if (scan.shape == null) {
                continue;
            }
            if (reference == null) {
                reference = scan;
            } else if (!reference.shape.equals(scan.shape)) {
                throw inconsistent(reference.shape, reference.partition, 0, scan.shape, scan.partition, 0);
            }
        }
        int[] quotas = new int[scans.size()];
        long total = 0;
        long skipped = 0;
        int remaining = maxBatches;
        for (PartitionScan scan : scans) {
            int quota = Math.min(scan.countedBatches, remaining);
            quotas[scan.partition] = quota;
            remaining -= quota;
            total += scan.countedBatches;
            skipped += scan.skippedBatches;
        }
        if (total == 0) {
            throw new IllegalArgumentException("the RDD holds no mini-batch with at least 2 values per feature in "
                    + "every normalization layer" + (reference == null ? " (it is empty)" : " (" + skipped
                    + " single-example mini-batch(es) skipped)") + ": Algorithm 2 needs at least one training "
                    + "mini-batch");
        }
        return quotas;
    }

    private static IllegalArgumentException inconsistent(String shape, int partition, int position, String other,
                                                         int otherPartition, int otherPosition) {
        return new IllegalArgumentException("the RDD's mini-batches have inconsistent feature shapes: " + shape
                + " (partition " + partition + ", batch " + position + ") and " + other + " (partition "
                + otherPartition + ", batch " + otherPosition + "); every mini-batch must have the network's "
                + "input shape");
    }
}
