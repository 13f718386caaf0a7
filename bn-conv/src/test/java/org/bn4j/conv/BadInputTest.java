package org.bn4j.conv;

import org.bn4j.conv.testutil.ConvCase;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input gets an exception that names the layer and the problem, before any native code runs. */
class BadInputTest {

    private static final ConvCase CASE = ConvCase.parse("NCHW Truncate k3x3 s1x1 p0x0 d1x1 bias relu 2x3x6x6 4");

    @AfterEach
    void automaticBackend() {
        ConvolutionBackend.force(null);
    }

    private static Layer namedLayer() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list()
                .layer(new FastConvolution.Builder(3, 3).nOut(4).name("conv-under-test").build())
                .setInputType(InputType.convolutional(6, 6, 3)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net.getLayer(0);
    }

    private static Exception forward(Layer layer, INDArray x) {
        return assertThrows(RuntimeException.class, () -> {
            layer.setInput(x, LayerWorkspaceMgr.noWorkspaces());
            layer.activate(true, LayerWorkspaceMgr.noWorkspaces());
        });
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "\"" + part + "\" missing in: " + e.getMessage());
        }
    }

    @Test
    void wrongChannelCountNamesTheLayerAndBothCounts() {
        Exception e = forward(namedLayer(), Nd4j.rand(DataType.FLOAT, 2, 5, 6, 6));
        assertMentions(e, "conv-under-test", "layer index: 0", "input channels = 5", "expected input channels = 3");
    }

    @Test
    void kernelLargerThanTheInputInTruncateModeNamesTheLayer() {
        Exception e = forward(namedLayer(), Nd4j.rand(DataType.FLOAT, 2, 3, 2, 6));
        assertMentions(e, "conv-under-test", "kernel height", "input height = 2");
    }

    @Test
    void strictModeWithAStrideThatDoesNotDivideNamesTheLayer() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new FastConvolution.Builder(3, 3).stride(2, 2).nOut(4).name("strict")
                        .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Strict).build())
                .setInputType(InputType.convolutional(7, 7, 3)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Exception e = forward(net.getLayer(0), Nd4j.rand(DataType.FLOAT, 2, 3, 8, 8));
        assertMentions(e, "strict", "Strict");
    }

    @Test
    void integerInputIsRejectedWithTheLayerName() {
        Exception e = forward(namedLayer(), Nd4j.zeros(DataType.INT, 2, 3, 6, 6));
        assertMentions(e, "conv-under-test", "INT", "floating-point");
    }

    @Test
    void wrongRankNamesTheLayer() {
        Exception e = forward(namedLayer(), Nd4j.rand(DataType.FLOAT, 2, 108));
        assertMentions(e, "conv-under-test", "rank 2");
    }

    @Test
    void halfPrecisionNetworkIsRejectedAtInitWithTheLayerName() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.HALF).list()
                .layer(new FastConvolution.Builder(3, 3).nOut(4).name("half-conv").build())
                .setInputType(InputType.convolutional(6, 6, 3)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        Exception e = assertThrows(IllegalArgumentException.class, net::init);
        assertMentions(e, "half-conv", "HALF");
    }

    @Test
    void backwardWithoutInputNamesTheLayer() {
        Layer layer = CASE.layer(true, DataType.FLOAT);
        Exception e = assertThrows(RuntimeException.class,
                () -> layer.backpropGradient(Nd4j.rand(DataType.FLOAT, 2, 4, 4, 4), LayerWorkspaceMgr.noWorkspaces()));
        assertMentions(e, "layer index: 0");
    }

    @Test
    void gradientOfTheWrongShapeNamesTheLayerAndBothShapes() {
        Layer layer = namedLayer();
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        layer.setInput(Nd4j.rand(DataType.FLOAT, 2, 3, 6, 6), ws);
        layer.activate(true, ws);
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> layer.backpropGradient(Nd4j.rand(DataType.FLOAT, 2, 4, 5, 5), ws));
        assertMentions(e, "conv-under-test", "[2, 4, 5, 5]", "[2, 4, 4, 4]");
    }

    @Test
    void unknownBackendPropertyValueIsAClearError() {
        String before = System.getProperty(ConvolutionBackend.PROPERTY);
        System.setProperty(ConvolutionBackend.PROPERTY, "fastest");
        try {
            Exception e = assertThrows(IllegalArgumentException.class, ConvolutionBackend::current);
            assertMentions(e, "fastest", "auto, ops, dl4j");
        } finally {
            if (before == null) {
                System.clearProperty(ConvolutionBackend.PROPERTY);
            } else {
                System.setProperty(ConvolutionBackend.PROPERTY, before);
            }
        }
    }
}
