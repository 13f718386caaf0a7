package org.bn4j.inception.net;

import org.bn4j.BatchNorm;
import org.bn4j.conv.FastConvolution;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BnInceptionBuilderTest {

    /** Module output (height, channels) at 224 px from the paper's Figure 5. */
    private static final Map<String, int[]> PAPER_SHAPES = Map.of(
            "3a", new int[]{28, 256}, "3b", new int[]{28, 320}, "3c", new int[]{14, 576},
            "4a", new int[]{14, 576}, "4b", new int[]{14, 576}, "4c", new int[]{14, 608},
            "4d", new int[]{14, 608}, "4e", new int[]{7, 1056},
            "5a", new int[]{7, 1024}, "5b", new int[]{7, 1024});

    private static Map<String, InputType> activationTypes(ComputationGraphConfiguration conf, int size, int channels) {
        return conf.getLayerActivationTypes(InputType.convolutional(size, size, channels));
    }

    @Test
    void fullSizeNetworkHasThePapersModuleShapes() {
        ComputationGraphConfiguration conf = new BnInceptionBuilder().buildConfiguration();
        Map<String, InputType> types = activationTypes(conf, 224, 3);
        assertShape(types.get("stem/conv1/bn"), 112, 64);
        assertShape(types.get("stem/pool1"), 56, 64);
        assertShape(types.get("stem/conv2/bn"), 56, 192);
        assertShape(types.get("stem/pool2"), 28, 192);
        PAPER_SHAPES.forEach((module, shape) -> assertShape(types.get(module), shape[0], shape[1]));
        assertEquals(InputType.feedForward(1000), types.get(BnInceptionBuilder.OUTPUT));
    }

    @Test
    void fullSizeNetworkHasThePapersParameterCount() {
        ComputationGraph network = new BnInceptionBuilder().build();
        // Hand count from Figure 5: stem 7·7·3·64 + 64·64 + 9·64·192, every module's convolutions, then the
        // 1024→1000 classifier with bias; no convolution biases. BN adds γ, β (learned) and mean, variance
        // (population statistics) for each of the 10,016 convolution channels.
        long weights = 11_265_192L;
        long bnChannels = 10_016L;
        assertEquals(weights + 4 * bnChannels, network.numParams());
        long learned = network.paramTable().entrySet().stream()
                .filter(e -> !e.getKey().endsWith("_" + BatchNorm.MEAN) && !e.getKey().endsWith("_" + BatchNorm.VAR))
                .mapToLong(e -> e.getValue().length()).sum();
        assertEquals(weights + 2 * bnChannels, learned);
    }

    @Test
    void everyConvolutionIsBiasFreeAndFollowedByBatchNormWithTheActivation() {
        ComputationGraphConfiguration conf = new BnInceptionBuilder().buildConfiguration();
        List<String> convolutions = layersOfType(conf, ConvolutionLayer.class);
        assertEquals(3 + 8 * 7 + 2 * 5, convolutions.size());
        for (String name : convolutions) {
            assertFalse(((ConvolutionLayer) layer(conf, name)).hasBias(), name);
            Layer bn = layer(conf, name + "/bn");
            assertTrue(bn instanceof BatchNorm, name + " has no BatchNorm after it");
            assertEquals(Activation.RELU.getActivationFunction(), ((BatchNorm) bn).getActivationFn());
        }
        assertTrue(layersOfType(conf, LocalResponseNormalization.class).isEmpty());
        assertEquals(null, ((OutputLayer) layer(conf, BnInceptionBuilder.OUTPUT)).getIDropout());
    }

    @Test
    void convolutionsAreFastByDefaultAndPlainDl4jOnRequestWithTheSameParametersAndOutputs() {
        BnInceptionBuilder builder = new BnInceptionBuilder().input(28, 28, 1).numClasses(10).widthMultiplier(0.125);
        ComputationGraph fast = builder.build();
        ComputationGraph plain = builder.convolution(ConvolutionKind.DL4J).build();
        List<String> convolutions = layersOfType(fast.getConfiguration(), ConvolutionLayer.class);
        assertEquals(3 + 8 * 7 + 2 * 5, convolutions.size());
        for (String name : convolutions) {
            assertEquals(FastConvolution.class, layer(fast.getConfiguration(), name).getClass(), name);
            assertEquals(ConvolutionLayer.class, layer(plain.getConfiguration(), name).getClass(), name);
        }
        assertEquals(fast.numParams(), plain.numParams());
        plain.setParams(fast.params());
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 1, 28, 28);
        for (boolean training : new boolean[] {false, true}) {
            INDArray expected = plain.outputSingle(training, x);
            INDArray actual = fast.outputSingle(training, x);
            assertTrue(expected.equalsWithEps(actual, 1e-4), "training=" + training + ": " + expected + " vs " + actual);
        }
    }

    @Test
    void baselineVariantHasBiasedConvolutionsLrnAndDropoutButNoBatchNorm() {
        ComputationGraphConfiguration conf = new BnInceptionBuilder()
                .batchNorm(false).localResponseNorm(true).dropout(0.4).buildConfiguration();
        assertTrue(layersOfType(conf, BatchNorm.class).isEmpty());
        assertEquals(2, layersOfType(conf, LocalResponseNormalization.class).size());
        for (String name : layersOfType(conf, ConvolutionLayer.class)) {
            assertTrue(((ConvolutionLayer) layer(conf, name)).hasBias(), name);
        }
        assertNotNull(((OutputLayer) layer(conf, BnInceptionBuilder.OUTPUT)).getIDropout());
        PAPER_SHAPES.forEach((module, shape) -> assertShape(activationTypes(conf, 224, 3).get(module), shape[0],
                shape[1]));
    }

    @Test
    void sigmoidVariantPutsSigmoidInEveryBatchNorm() {
        ComputationGraphConfiguration conf = new BnInceptionBuilder().activation(Activation.SIGMOID)
                .buildConfiguration();
        for (String name : layersOfType(conf, BatchNorm.class)) {
            assertTrue(((BatchNorm) layer(conf, name)).getActivationFn() instanceof ActivationSigmoid, name);
        }
    }

    @Test
    void smallStemKeepsAllModulesAndHalvesResolutionThreeTimes() {
        BnInceptionBuilder builder = new BnInceptionBuilder().input(28, 28, 1).numClasses(10).widthMultiplier(0.25);
        assertEquals(Stem.SMALL, builder.resolvedStem());
        Map<String, InputType> types = activationTypes(builder.buildConfiguration(), 28, 1);
        assertShape(types.get("3a"), 14, 16 + 16 + 24 + 8);
        assertShape(types.get("3c"), 7, builder.outputChannels(BnInceptionTable.MODULES.get(2), 80));
        assertShape(types.get("4e"), 4, 264);
        assertShape(types.get("5b"), 4, 256);
        assertEquals(InputType.feedForward(10), types.get(BnInceptionBuilder.OUTPUT));
    }

    @Test
    void smallNetworkPredictsAProbabilityPerClassForColourAndGreyInput() {
        for (int channels : new int[]{1, 3}) {
            ComputationGraph network = new BnInceptionBuilder().input(32, 32, channels).numClasses(5)
                    .widthMultiplier(0.125).build();
            INDArray probabilities = network.outputSingle(Nd4j.rand(2, channels, 32, 32));
            assertEquals(List.of(2L, 5L), List.of(probabilities.size(0), probabilities.size(1)));
            assertEquals(1.0, probabilities.getRow(0).sumNumber().doubleValue(), 1e-4);
        }
    }

    @Test
    void widthMultiplierScalesChannelsAndRoundsToAtLeastOne() {
        BnInceptionBuilder half = new BnInceptionBuilder().widthMultiplier(0.5);
        assertEquals(96, half.scaled(192));
        assertEquals(0, half.scaled(0));
        assertEquals(1, new BnInceptionBuilder().widthMultiplier(0.001).scaled(32));
    }

    @Test
    void invalidSettingsAreRejectedWithTheReason() {
        assertThrows(IllegalArgumentException.class, () -> new BnInceptionBuilder().input(32, 32, 2)
                .buildConfiguration());
        assertThrows(IllegalArgumentException.class, () -> new BnInceptionBuilder().widthMultiplier(0)
                .buildConfiguration());
        assertThrows(IllegalArgumentException.class, () -> new BnInceptionBuilder().numClasses(1)
                .buildConfiguration());
        IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class,
                () -> new BnInceptionBuilder().input(48, 48, 3).stem(Stem.IMAGENET).buildConfiguration());
        assertTrue(tooSmall.getMessage().contains("IMAGENET"), tooSmall.getMessage());
    }

    private static void assertShape(InputType type, int size, int channels) {
        InputType.InputTypeConvolutional conv = (InputType.InputTypeConvolutional) type;
        assertEquals(size, conv.getHeight(), "height of " + type);
        assertEquals(size, conv.getWidth(), "width of " + type);
        assertEquals(channels, conv.getChannels(), "channels of " + type);
    }

    private static Layer layer(ComputationGraphConfiguration conf, String name) {
        return ((LayerVertex) conf.getVertices().get(name)).getLayerConf().getLayer();
    }

    private static List<String> layersOfType(ComputationGraphConfiguration conf, Class<?> type) {
        return conf.getVertices().entrySet().stream()
                .filter(e -> e.getValue() instanceof LayerVertex)
                .filter(e -> type.isInstance(((LayerVertex) e.getValue()).getLayerConf().getLayer()))
                .map(Map.Entry::getKey).sorted().collect(Collectors.toList());
    }
}
