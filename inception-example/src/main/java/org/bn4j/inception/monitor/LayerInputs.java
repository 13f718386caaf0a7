package org.bn4j.inception.monitor;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/**
 * Reads the inputs of chosen layers for a batch of features, in inference mode (dropout off, batch normalization
 * with its population statistics), without changing the network's parameters. "The input to a layer" is the
 * distribution whose drift Ioffe &amp; Szegedy 2015 call internal covariate shift (§2, Figure 1(b,c)).
 */
public interface LayerInputs {

    /** The input of each target's layer for {@code features}, keyed by target (all units; see {@link Percentiles}). */
    Map<MonitorTarget, INDArray> read(INDArray features);

    /**
     * Readers for a {@link MultiLayerNetwork} or a {@link ComputationGraph}; IllegalArgumentException for another
     * model type or a layer the network does not have.
     */
    static LayerInputs of(Model model, List<MonitorTarget> targets) {
        if (model instanceof MultiLayerNetwork network) {
            return new MultiLayerInputs(network, targets);
        }
        if (model instanceof ComputationGraph graph) {
            return new GraphInputs(graph, targets);
        }
        throw new IllegalArgumentException("can monitor a MultiLayerNetwork or a ComputationGraph, not "
                + model.getClass().getName());
    }
}
