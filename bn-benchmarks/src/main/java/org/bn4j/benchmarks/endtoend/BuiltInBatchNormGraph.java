package org.bn4j.benchmarks.endtoend;

import org.bn4j.BatchNorm;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rewrites a graph configuration so that every bn4j {@link BatchNorm} becomes DL4J's built-in
 * {@link BatchNormalization} with the same eps, decay and channel count, followed by a separate
 * {@link ActivationLayer} for the nonlinearity the bn4j layer applied itself (DL4J's layer ignores a configured
 * activation, so {@code BatchNormConversion.toDl4jBatchNorm} rejects such layers). The activation layer keeps the original
 * vertex name, so every consumer is unchanged; the normalization is called {@code <name>_dl4j}.
 *
 * <p>Only for speed comparisons: the rewritten graph has fresh parameters.
 */
final class BuiltInBatchNormGraph {

    private BuiltInBatchNormGraph() {
    }

    /** The rewritten configuration; {@code global} supplies the defaults of the new layers (updater, seed, type). */
    static ComputationGraphConfiguration rewrite(ComputationGraphConfiguration conf, InputType input,
                                                 NeuralNetConfiguration.Builder global) {
        GraphBuilder graph = new GraphBuilder(conf, global).setInputTypes(input);
        List<Map.Entry<String, GraphVertex>> vertices = new ArrayList<>(conf.getVertices().entrySet());
        for (Map.Entry<String, GraphVertex> entry : vertices) {
            if (!(entry.getValue() instanceof LayerVertex vertex)) {
                continue;
            }
            Layer layer = vertex.getLayerConf().getLayer();
            if (!(layer instanceof BatchNorm bn)) {
                continue;
            }
            String name = entry.getKey();
            String[] inputs = conf.getVertexInputs().get(name).toArray(new String[0]);
            String normalization = name + "_dl4j";
            graph.removeVertex(name, false);
            graph.addLayer(normalization, new BatchNormalization.Builder()
                    .nIn(bn.getNIn()).nOut(bn.getNOut())
                    .eps(bn.getEps()).decay(bn.getDecay())
                    .build(), inputs);
            graph.addLayer(name, new ActivationLayer.Builder()
                    .activation(bn.getActivationFn() == null ? new ActivationIdentity() : bn.getActivationFn())
                    .build(), normalization);
        }
        return graph.build();
    }
}
