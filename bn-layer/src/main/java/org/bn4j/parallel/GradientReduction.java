package org.bn4j.parallel;

import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.FloatBuffer;
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
    /** Scratch of the float path, kept between steps (the flat gradient has the same length every step). */
    private float[] sum;
    private float[] scratch;
    private long[][] segmentTable;

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
        undivided.sort(java.util.Comparator.comparingLong(range -> range[0]));
    }

    /** Whether the network has parameters that are not divided by the mini-batch size (population statistics). */
    boolean hasUndivided() {
        return !undivided.isEmpty();
    }

    /**
     * Writes the whole batch's gradient into {@code total}, replica 0's gradient array, from it and {@code others},
     * the other replicas' gradients in replica order.
     *
     * @param shardSizes examples per replica
     */
    void reduce(INDArray total, INDArray[] others, int[] shardSizes, ReplicaStatistics statistics, boolean divides) {
        int n = 0;
        for (int size : shardSizes) {
            n += size;
        }
        double scale = divides ? (double) shardSizes[0] / n : 1.0;
        // undivided entries: synchronized → the network's own update; per replica → the replicas' average
        boolean averageStatistics = statistics == ReplicaStatistics.PER_REPLICA;
        if (total.dataType() == DataType.FLOAT && plain(total, others)) {
            reduceFloat(total, others, (float) scale, averageStatistics);
        } else {
            reduceNd4j(total, others, scale, averageStatistics);
        }
    }

    /** Segments of the flat gradient: [start, end) and whether the updater divides it by the mini-batch size. */
    private long[][] segments(long length) {
        List<long[]> segments = new ArrayList<>();
        long at = 0;
        for (long[] range : undivided) {
            if (range[0] > at) {
                segments.add(new long[] {at, range[0], 1});
            }
            segments.add(new long[] {range[0], range[1], 0});
            at = range[1];
        }
        if (at < length) {
            segments.add(new long[] {at, length, 1});
        }
        return segments.toArray(new long[0][]);
    }

    /**
     * The float case in Java loops over the arrays' memory (one bulk copy in and out per array): the flat gradient
     * has hundreds of segments (each BN layer's statistics split it), and an ND4J op per segment cost milliseconds.
     */
    private void reduceFloat(INDArray total, INDArray[] others, float scale, boolean averageStatistics) {
        int length = Math.toIntExact(total.length());
        if (sum == null || sum.length != length) {
            sum = new float[length];
            scratch = new float[length];
            segmentTable = segments(length);
        }
        FloatBuffer target = total.data().asNioFloat();
        target.get(0, sum, 0, length);
        for (INDArray other : others) {
            other.data().asNioFloat().get(0, scratch, 0, length);
            for (int i = 0; i < length; i++) {
                sum[i] += scratch[i];
            }
        }
        float average = 1f / (others.length + 1);
        for (long[] segment : segmentTable) {
            int from = (int) segment[0];
            int to = (int) segment[1];
            if (segment[2] == 1) {
                for (int i = from; i < to; i++) {
                    sum[i] *= scale;
                }
            } else if (averageStatistics) {
                for (int i = from; i < to; i++) {
                    sum[i] *= average;
                }
            } else {
                target.get(from, sum, from, to - from);     // the network's own update, not yet overwritten
            }
        }
        target.put(0, sum, 0, length);
    }

    private void reduceNd4j(INDArray total, INDArray[] others, double scale, boolean averageStatistics) {
        INDArray flat = flat(total);
        double[] ownStatistics = averageStatistics ? null : undividedValues(flat);
        for (INDArray other : others) {
            flat.addi(flat(other));
        }
        for (long[] segment : segments(flat.length())) {
            INDArray part = flat.get(NDArrayIndex.interval(segment[0], segment[1]));
            if (segment[2] == 1) {
                part.muli(scale);
            } else if (averageStatistics) {
                part.muli(1.0 / (others.length + 1));
            }
        }
        if (ownStatistics != null) {
            int at = 0;
            for (long[] range : undivided) {
                INDArray part = flat.get(NDArrayIndex.interval(range[0], range[1]));
                int length = Math.toIntExact(range[1] - range[0]);
                double[] own = new double[length];
                System.arraycopy(ownStatistics, at, own, 0, length);
                at += length;
                part.assign(Nd4j.createFromArray(own).castTo(part.dataType()));
            }
        }
    }

    private static boolean plain(INDArray total, INDArray[] others) {
        if (!plain(total)) {
            return false;
        }
        for (INDArray other : others) {
            if (!plain(other) || other.dataType() != total.dataType() || other.length() != total.length()) {
                return false;
            }
        }
        return true;
    }

    private static boolean plain(INDArray a) {
        return a.offset() == 0 && a.ordering() == 'c' && a.length() <= Integer.MAX_VALUE
                && a.data().length() >= a.length();
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
