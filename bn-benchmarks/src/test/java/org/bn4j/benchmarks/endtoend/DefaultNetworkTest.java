package org.bn4j.benchmarks.endtoend;

import org.bn4j.BatchNorm;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DefaultNetworkTest {

    @Test
    void theCommittedGraphFixtureIsTheExamplesDefaultNetwork() throws IOException {
        String fixture;
        try (InputStream in = getClass().getResourceAsStream("/bn-inception-default.json")) {
            fixture = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ComputationGraphConfiguration conf = DefaultNetwork.configuration(DefaultNetwork.Variant.DL4J_CONV_BN4J);
        assertEquals(ComputationGraphConfiguration.fromJson(fixture), conf,
                "regenerate bn-benchmarks/src/test/resources/bn-inception-default.json with ExportDefaultNetwork");
    }

    @Test
    void builtInVariantReplacesEveryBn4jLayerByDl4jBatchNormalizationAndItsRelu() {
        ComputationGraphConfiguration bn4j = DefaultNetwork.configuration(DefaultNetwork.Variant.DL4J_CONV_BN4J);
        ComputationGraphConfiguration dl4j = DefaultNetwork.configuration(DefaultNetwork.Variant.DL4J_CONV_DL4J_BN);
        List<String> bn4jLayers = namesOf(bn4j, BatchNorm.class);
        assertEquals(0, namesOf(dl4j, BatchNorm.class).size());
        assertEquals(bn4jLayers.size(), namesOf(dl4j, BatchNormalization.class).size());
        for (String name : bn4jLayers) {
            Layer activation = layer(dl4j, name);
            assertInstanceOf(ActivationLayer.class, activation, name);
            assertInstanceOf(ActivationReLU.class, ((ActivationLayer) activation).getActivationFn(), name);
            assertEquals(List.of(name + "_dl4j"), dl4j.getVertexInputs().get(name));
            assertEquals(bn4j.getVertexInputs().get(name), dl4j.getVertexInputs().get(name + "_dl4j"));
        }
    }

    @Test
    void bothVariantsHaveTheSameParametersAndTrain() {
        ComputationGraph bn4j = DefaultNetwork.build(DefaultNetwork.Variant.DL4J_CONV_BN4J);
        ComputationGraph dl4j = DefaultNetwork.build(DefaultNetwork.Variant.DL4J_CONV_DL4J_BN);
        assertEquals(bn4j.numParams(), dl4j.numParams());
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 1, 28, 28);
        INDArray y = Nd4j.eye(10).getRows(0, 1, 2, 3, 4, 5, 6, 7).castTo(DataType.FLOAT);
        for (ComputationGraph network : List.of(bn4j, dl4j)) {
            network.fit(new org.nd4j.linalg.dataset.DataSet(x, y));
            assertTrue(Double.isFinite(network.score()));
            assertArrayEquals(new long[] {8, 10}, network.outputSingle(false, x).shape());
        }
    }

    private static List<String> namesOf(ComputationGraphConfiguration conf, Class<?> type) {
        return conf.getVertices().keySet().stream().filter(n -> type.isInstance(layer(conf, n)))
                .collect(Collectors.toList());
    }

    private static Layer layer(ComputationGraphConfiguration conf, String name) {
        return conf.getVertices().get(name) instanceof LayerVertex v ? v.getLayerConf().getLayer() : null;
    }
}
