package org.bn4j.math;

/**
 * How a mini-batch of {@code n} examples is split into sub-batches along the example axis, each normalized with its
 * own statistics: ghost batches (Hoffer et al. 2017) in one layer, or the shards of replicas with per-replica
 * statistics. {@code parts} contiguous sub-batches: the first {@code n mod parts} get {@code ⌈n/parts⌉} examples,
 * the rest {@code ⌊n/parts⌋}, in order. A ghost batch size {@code g} gives {@code ⌈n/g⌉} parts, each of at most
 * {@code g} examples and as equal as possible (so 10 examples in ghost batches of 4 are 4, 3, 3, not 4, 4, 2).
 */
public final class SubBatches {

    private SubBatches() {
    }

    /** The sizes of {@code parts} near-equal contiguous sub-batches of {@code n} examples. */
    public static int[] sizes(int n, int parts) {
        if (parts <= 0 || n < parts) {
            throw new IllegalArgumentException("cannot split " + n + " examples into " + parts + " sub-batches");
        }
        int[] sizes = new int[parts];
        for (int p = 0; p < parts; p++) {
            sizes[p] = n / parts + (p < n % parts ? 1 : 0);
        }
        return sizes;
    }

    /** The sizes of the ghost batches of {@code n} examples with at most {@code ghostSize} each (0: the whole batch). */
    public static int[] ghostSizes(int n, int ghostSize) {
        if (ghostSize <= 0 || ghostSize >= n) {
            return new int[] {n};
        }
        return sizes(n, (n + ghostSize - 1) / ghostSize);
    }
}
