package org.bn4j.internal;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;

import java.util.function.UnaryOperator;

/**
 * The walk over every layer of a network configuration that bn4j's layer conversions share
 * ({@code BatchNormConversion}, bn-conv's {@code ConvolutionConversion}): a copy of the configuration in which each
 * layer is replaced by what a per-layer function returns for it.
 */
public final class LayerReplacement {

    /** Whether a replaced layer keeps the parameter keys its configuration has registered so far. */
    public enum ParameterKeys {
        /** The new layer has the same parameter keys (a subclass with the same parameters): keep them. */
        KEEP,
        /**
         * The new layer has other parameter keys: forget the old ones; the new layer's parameter initializer
         * registers its own when the network is initialized.
         */
        FORGET
    }

    private LayerReplacement() {
    }

    /** A copy of {@code conf} with every layer {@code l} replaced by {@code replacement.apply(l)}. */
    public static MultiLayerConfiguration replaceLayers(MultiLayerConfiguration conf, UnaryOperator<Layer> replacement,
                                                        ParameterKeys keys) {
        MultiLayerConfiguration out = conf.clone();
        for (NeuralNetConfiguration layerConf : out.getConfs()) {
            replace(layerConf, replacement, keys);
        }
        return out;
    }

    /** A copy of {@code conf} with the layer {@code l} of every layer vertex replaced by {@code replacement.apply(l)}. */
    public static ComputationGraphConfiguration replaceLayers(ComputationGraphConfiguration conf,
                                                              UnaryOperator<Layer> replacement, ParameterKeys keys) {
        ComputationGraphConfiguration out = conf.clone();
        for (GraphVertex vertex : out.getVertices().values()) {
            if (vertex instanceof LayerVertex) {
                replace(((LayerVertex) vertex).getLayerConf(), replacement, keys);
            }
        }
        return out;
    }

    private static void replace(NeuralNetConfiguration layerConf, UnaryOperator<Layer> replacement, ParameterKeys keys) {
        Layer before = layerConf.getLayer();
        Layer after = replacement.apply(before);
        if (after != before) {
            layerConf.setLayer(after);
            if (keys == ParameterKeys.FORGET) {
                layerConf.clearVariables();
            }
        }
    }
}
