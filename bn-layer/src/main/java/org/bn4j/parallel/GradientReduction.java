package org.bn4j.parallel;

import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the replicas' gradients into the gradient of one network on the whole mini-batch, in the network's own flat
 * gradient array, before DL4J's updater sees it.
 *
 * <p>DL4J's layers return gradients summed (not averaged) over a mini-batch's examples; the updater divides by the
 * mini-batch size. So the whole batch's gradient is the sum of the shards' gradients, and since the updater of the
 * network divides by its own shard's size {@code n₀}, the sum is scaled by {@code n₀/N} first:
 * <pre>
 *   g = (n₀/N)·Σ_r g_r          (then the updater: g/n₀ = Σ_r g_r / N)
 * </pre>
 * Parameters the updater does not divide (population statistics, whose "gradient" is the statistics update
 * {@code old − new}) are not summed: with synchronized statistics every replica computed the same update and the
 * network keeps its own; with per-replica statistics the updates are averaged, {@code (1/R)·Σ_r g_r}.
 */
final class GradientReduction {

    /** [start, end) ranges of the flat gradient that the updater does not divide by the mini-batch size. */
    private final List<long[]> undivided = new ArrayList<>();

    GradientReduction(ReplicaNetwork network) {
        long base = network.parameters().offset();
        for (Layer layer : network.layers()) {
            for (Map.Entry<String, INDArray> param : layer.paramTable(false).entrySet()) {
                if (!layer.updaterDivideByMinibatch(param.getKey())) {
                    long start = param.getValue().offset() - base;
                    undivided.add(new long[] {start, start + param.getValue().length()});
                }
            }
        }
    }

    /** Whether the network has parameters that are not divided by the mini-batch size (population statistics). */
    boolean hasUndivided() {
        return !undivided.isEmpty();
    }

    /**
     * Writes the whole batch's gradient into {@code replicas[0]}'s gradient array.
     *
     * @param shardSizes examples per replica
     */
    void reduce(ReplicaNetwork[] replicas, int[] shardSizes, ReplicaStatistics statistics, boolean divides) {
        INDArray total = flat(replicas[0].gradients());
        double[] ownStatistics = statistics == ReplicaStatistics.SYNCHRONIZED ? undividedValues(total) : null;
        for (int r = 1; r < replicas.length; r++) {
            total.addi(flat(replicas[r].gradients()));
        }
        int n = 0;
        for (int size : shardSizes) {
            n += size;
        }
        if (divides && shardSizes[0] != n) {
            total.muli((double) shardSizes[0] / n);
        }
        int at = 0;
        for (long[] range : undivided) {
            INDArray part = total.get(NDArrayIndex.interval(range[0], range[1]));
            if (ownStatistics != null) {
                int length = Math.toIntExact(range[1] - range[0]);
                double[] own = new double[length];
                System.arraycopy(ownStatistics, at, own, 0, length);
                at += length;
                part.assign(org.nd4j.linalg.factory.Nd4j.createFromArray(own).castTo(part.dataType()));
            } else {
                double rescale = divides && shardSizes[0] != n ? (double) n / shardSizes[0] : 1.0;
                part.muli(rescale / replicas.length);
            }
        }
    }

    private double[] undividedValues(INDArray total) {
        List<double[]> parts = new ArrayList<>();
        int length = 0;
        for (long[] range : undivided) {
            double[] values = total.get(NDArrayIndex.interval(range[0], range[1])).toDoubleVector();
            parts.add(values);
            length += values.length;
        }
        double[] all = new double[length];
        int at = 0;
        for (double[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    private static INDArray flat(INDArray a) {
        return a.rank() == 1 ? a : a.reshape(a.length());
    }
}
