package org.bn4j.statistics;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ArrayList;

/**
 * The result of {@link PopulationStatistics#estimate}: the number of mini-batches used and, per batch-normalization
 * layer, the estimated E[x] and Var[x] (DOUBLE, rank 1), which have also been written into the network.
 */
public final class PopulationEstimate {

    private final int batches;
    private final Map<String, INDArray> means;
    private final Map<String, INDArray> variances;

    PopulationEstimate(int batches, Map<String, INDArray> means, Map<String, INDArray> variances) {
        this.batches = batches;
        this.means = Collections.unmodifiableMap(new LinkedHashMap<>(means));
        this.variances = Collections.unmodifiableMap(new LinkedHashMap<>(variances));
    }

    /** Number of mini-batches averaged. */
    public int batches() {
        return batches;
    }

    /** Names of the layers whose statistics were estimated, in network order (DL4J names unnamed layers "layer0", "layer1", ...). */
    public List<String> layers() {
        return new ArrayList<>(means.keySet());
    }

    /** E[x] of a layer: the mean of the batch means. */
    public INDArray mean(String layer) {
        return get(means, layer);
    }

    /** Var[x] of a layer: the mean of the unbiased batch variances. */
    public INDArray variance(String layer) {
        return get(variances, layer);
    }

    private static INDArray get(Map<String, INDArray> map, String layer) {
        INDArray value = map.get(layer);
        if (value == null) {
            throw new IllegalArgumentException("no estimate for layer \"" + layer + "\"; estimated: " + map.keySet());
        }
        return value;
    }

    @Override
    public String toString() {
        return "PopulationEstimate(batches=" + batches + ", layers=" + means.keySet() + ")";
    }
}
