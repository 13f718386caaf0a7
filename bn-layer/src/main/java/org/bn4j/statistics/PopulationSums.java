package org.bn4j.statistics;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The running sums of Algorithm 2 ({@link PopulationStatistics}) before they are turned into E[x] and Var[x]: per
 * batch-normalization layer and feature, in double, the sum over mini-batches of the batch means μ_B and of the
 * unbiased batch variances m_B/(m_B−1)·σ²_B, and the number of mini-batches summed.
 *
 * <p>Sums over disjoint sets of mini-batches {@link #merge merge} exactly by adding them: the estimate from merged
 * sums is the estimate over the union of the mini-batches (E_B is an average over batches, so no average of averages
 * is involved). This is what makes Algorithm 2 distributable: each worker sums its own mini-batches
 * ({@link PopulationStatistics#accumulate}), the sums are merged, and the result is written into the network once
 * ({@link PopulationStatistics#apply}). The object is {@link Serializable} (plain arrays) so that it can travel
 * between JVMs.
 */
public final class PopulationSums implements Serializable {

    private static final long serialVersionUID = 1L;

    private final LinkedHashMap<String, double[]> sumMeans = new LinkedHashMap<>();
    private final LinkedHashMap<String, double[]> sumVariances = new LinkedHashMap<>();
    private int batches;
    private int skipped;

    /** Empty sums (no mini-batch yet) for the batch-normalization layers named {@code layers}, in network order. */
    public PopulationSums(List<String> layers) {
        for (String layer : layers) {
            sumMeans.put(layer, null);
            sumVariances.put(layer, null);
        }
    }

    /** Names of the layers, in network order. */
    public List<String> layers() {
        return new ArrayList<>(sumMeans.keySet());
    }

    /** Number of mini-batches summed. */
    public int batches() {
        return batches;
    }

    /** Number of single-example mini-batches skipped because some layer saw one value per feature in them. */
    public int skipped() {
        return skipped;
    }

    /** Per-feature sum of the batch means of {@code layer} (a copy), or null before the first mini-batch. */
    public double[] sumOfMeans(String layer) {
        return copy(require(sumMeans, layer));
    }

    /** Per-feature sum of the unbiased batch variances of {@code layer} (a copy), or null before the first batch. */
    public double[] sumOfVariances(String layer) {
        return copy(require(sumVariances, layer));
    }

    /**
     * Adds {@code other}'s sums, batch count and skipped count to these (exact: sums of disjoint mini-batches add).
     * Both must be for the same layers with the same number of features each.
     *
     * @return this
     */
    public PopulationSums merge(PopulationSums other) {
        if (!sumMeans.keySet().equals(other.sumMeans.keySet())) {
            throw new IllegalArgumentException("cannot merge population sums of different layers: " + sumMeans.keySet()
                    + " and " + other.sumMeans.keySet());
        }
        for (String layer : sumMeans.keySet()) {
            add(sumMeans, layer, other.sumMeans.get(layer));
            add(sumVariances, layer, other.sumVariances.get(layer));
        }
        batches += other.batches;
        skipped += other.skipped;
        return this;
    }

    /** One mini-batch's mean and unbiased variance of {@code layer} (DOUBLE arrays of the layer's features). */
    void addBatchStatistics(String layer, double[] mean, double[] variance) {
        add(sumMeans, layer, mean);
        add(sumVariances, layer, variance);
    }

    /** Counts one mini-batch after each layer's statistics have been added. */
    void countBatch() {
        batches++;
    }

    void countSkipped() {
        skipped++;
    }

    private static void add(Map<String, double[]> sums, String layer, double[] values) {
        if (values == null) {
            return;
        }
        double[] sum = require(sums, layer);
        if (sum == null) {
            sums.put(layer, values.clone());
            return;
        }
        if (sum.length != values.length) {
            throw new IllegalArgumentException("layer \"" + layer + "\": " + values.length + " features, but the sums "
                    + "so far have " + sum.length + " (inconsistent input shapes?)");
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] += values[i];
        }
    }

    private static double[] require(Map<String, double[]> sums, String layer) {
        if (!sums.containsKey(layer)) {
            throw new IllegalArgumentException("no population sums for layer \"" + layer + "\"; layers: "
                    + sums.keySet());
        }
        return sums.get(layer);
    }

    private static double[] copy(double[] values) {
        return values == null ? null : values.clone();
    }

    @Override
    public String toString() {
        return "PopulationSums(batches=" + batches + ", layers=" + sumMeans.keySet() + ")";
    }
}
