package org.bn4j.conv.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A split of a mini-batch of {@code n} examples into {@code slices} contiguous ranges of examples, as even as
 * possible: slice {@code i} is {@code [⌊n·i/slices⌋, ⌊n·(i+1)/slices⌋)}. In NCHW and NHWC the batch is the outermost
 * dimension, so the slice of a dense C-order array is a dense view of it.
 *
 * @param n      the number of examples
 * @param slices the number of slices, 1 to n
 */
public record BatchSplit(long n, int slices) {

    /**
     * NOTE: an estimate, not a tuned value: handing a slice to a parked thread and joining it costs some tens of
     * microseconds; one core does in the order of 10^10 multiply-adds per second in oneDNN, so below 2^20 per slice
     * (around 0.1 ms of work) the hand-off would eat a noticeable part of the gain. Every convolution of the example's
     * network at batch 64 is far above it (docs/convolution.md, "Batch split").
     */
    public static final long MIN_SLICE_MULTIPLY_ADDS = 1L << 20;

    public BatchSplit {
        if (slices < 1 || slices > Math.max(1, n)) {
            throw new IllegalArgumentException("BatchSplit: " + slices + " slices of " + n + " examples");
        }
    }

    /**
     * The split for one convolution call.
     *
     * @param n                  examples in the batch
     * @param threads            threads available (1: no split)
     * @param whenWorthIt        true to split only where every slice gets at least
     *                           {@link #MIN_SLICE_MULTIPLY_ADDS}; false to split whenever there are two examples
     * @param multiplyAddsPerExample {@code outH·outW·Cout·Cin·kH·kW}: the forward's work per example
     */
    public static BatchSplit plan(long n, int threads, boolean whenWorthIt, long multiplyAddsPerExample) {
        int slices = (int) Math.max(1, Math.min(threads, n));
        if (whenWorthIt) {
            while (slices > 1 && multiplyAddsPerExample * (n / slices) < MIN_SLICE_MULTIPLY_ADDS) {
                slices--;
            }
        }
        return new BatchSplit(n, slices);
    }

    /** Whether this is more than one slice. */
    public boolean isSplit() {
        return slices > 1;
    }

    /** The first example of slice {@code i}. */
    public long start(int i) {
        return n * i / slices;
    }

    /** The views of {@code a} (batch first, rank 4) for every slice, created on the calling thread. */
    public INDArray[] views(INDArray a) {
        if (a.size(0) != n) {
            throw new IllegalArgumentException("BatchSplit: array of shape " + java.util.Arrays.toString(a.shape())
                    + " has no batch of " + n);
        }
        INDArray[] views = new INDArray[slices];
        for (int i = 0; i < slices; i++) {
            INDArrayIndex[] index = {NDArrayIndex.interval(start(i), start(i + 1)), NDArrayIndex.all(),
                    NDArrayIndex.all(), NDArrayIndex.all()};
            views[i] = slices == 1 ? a : a.get(index);
        }
        return views;
    }

    /** "examples [a, b) of n" for slice {@code i}, for error messages. */
    public String describe(int i) {
        return "examples [" + start(i) + ", " + start(i + 1) + ") of " + n;
    }
}
