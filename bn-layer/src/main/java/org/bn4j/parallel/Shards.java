package org.bn4j.parallel;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Splits a mini-batch into contiguous shards along the example axis: {@code n} examples over {@code r} replicas
 * give the first {@code n mod r} shards {@code ⌈n/r⌉} examples and the rest {@code ⌊n/r⌋}, in order. Every array
 * (features, labels, masks) is split the same way and copied, so each replica gets plain C-order arrays.
 */
final class Shards {

    private Shards() {
    }

    /** The number of examples in {@code batch}, checked to be the same in every features and labels array. */
    static int examples(MultiDataSet batch) {
        long n = batch.getFeatures(0).size(0);
        for (INDArray[] arrays : new INDArray[][] {batch.getFeatures(), batch.getLabels()}) {
            for (INDArray a : arrays) {
                if (a.size(0) != n) {
                    throw new IllegalArgumentException("ParallelTrainer: the arrays of a mini-batch disagree on its "
                            + "size (" + n + " vs " + a.size(0) + " examples)");
                }
            }
        }
        return Math.toIntExact(n);
    }

    /** The sizes of the shards of {@code n} examples over {@code replicas}. */
    static int[] sizes(int n, int replicas) {
        int[] sizes = new int[replicas];
        for (int r = 0; r < replicas; r++) {
            sizes[r] = n / replicas + (r < n % replicas ? 1 : 0);
        }
        return sizes;
    }

    /** The shards of {@code batch} with the given sizes. */
    static MultiDataSet[] split(MultiDataSet batch, int[] sizes) {
        MultiDataSet[] shards = new MultiDataSet[sizes.length];
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            int start = 0;
            for (int r = 0; r < sizes.length; r++) {
                int end = start + sizes[r];
                shards[r] = new org.nd4j.linalg.dataset.MultiDataSet(slice(batch.getFeatures(), start, end),
                        slice(batch.getLabels(), start, end), slice(batch.getFeaturesMaskArrays(), start, end),
                        slice(batch.getLabelsMaskArrays(), start, end));
                start = end;
            }
        }
        return shards;
    }

    private static INDArray[] slice(INDArray[] arrays, int start, int end) {
        if (arrays == null) {
            return null;
        }
        INDArray[] out = new INDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            INDArray a = arrays[i];
            if (a == null) {
                continue;
            }
            INDArrayIndex[] index = new INDArrayIndex[a.rank()];
            index[0] = NDArrayIndex.interval(start, end);
            for (int d = 1; d < index.length; d++) {
                index[d] = NDArrayIndex.all();
            }
            out[i] = a.get(index).dup('c');
        }
        return out;
    }
}
