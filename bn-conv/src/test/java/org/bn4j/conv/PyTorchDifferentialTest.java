package org.bn4j.conv;

import org.bn4j.testutil.Fixture;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.bn4j.conv.Dl4jDifferentialTest.Arrays.assertClose;

/**
 * FastConvolution against PyTorch 1.13's {@code F.conv2d} (float64 fixtures made by
 * {@code src/test/python/make_pytorch_fixtures.py}, with DL4J's Same-mode padding written out explicitly there):
 * output, dL/dx, dL/dW, dL/db, in NCHW and NHWC (the fixture permuted), in double and float.
 */
class PyTorchDifferentialTest {

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
            "conv_truncate_k3_s1, NCHW, DOUBLE", "conv_truncate_k3_s1, NHWC, FLOAT",
            "conv_truncate_k3x2_s2x1_p1x2, NCHW, FLOAT", "conv_truncate_k3x2_s2x1_p1x2, NHWC, DOUBLE",
            "conv_truncate_dilated, NCHW, DOUBLE", "conv_truncate_dilated, NHWC, FLOAT",
            "conv_same_k3_s2, NCHW, FLOAT", "conv_same_k3_s2, NHWC, DOUBLE", "conv_same_k3_s2, NHWC, FLOAT",
            "conv_same_k4x2_s3x2_dilated, NCHW, DOUBLE", "conv_same_k4x2_s3x2_dilated, NHWC, FLOAT",
            "conv_strict_k1, NCHW, FLOAT", "conv_strict_k1, NHWC, DOUBLE",
    })
    void matchesPyTorch(String name, CNN2DFormat format, DataType dataType) {
        Fixture f = Fixture.load(name);
        boolean bias = f.number("has_bias") == 1;
        INDArray x = f.array("x");
        Layer layer = layer(f, format, dataType, bias, x.size(1), x.size(2), x.size(3));
        layer.setParam("W", f.array("W").castTo(dataType));
        if (bias) {
            layer.setParam("b", f.array("b").reshape(layer.getParam("b").shape()).castTo(dataType));
        }
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        layer.setInput(toFormat(x, format).castTo(dataType), ws);
        INDArray y = layer.activate(true, ws);
        double tolerance = dataType == DataType.DOUBLE ? 1e-12 : 2e-6;
        assertClose("output", toFormat(f.array("y"), format), y.castTo(DataType.DOUBLE), tolerance);
        Pair<Gradient, INDArray> g = layer.backpropGradient(toFormat(f.array("dy"), format).castTo(dataType), ws);
        assertClose("dL/dx", toFormat(f.array("dx"), format), g.getSecond().castTo(DataType.DOUBLE), tolerance);
        assertClose("dL/dW", f.array("dW"), g.getFirst().getGradientFor("W").castTo(DataType.DOUBLE), tolerance);
        if (bias) {
            INDArray db = g.getFirst().getGradientFor("b");
            assertClose("dL/db", f.array("db").reshape(db.shape()), db.castTo(DataType.DOUBLE), tolerance);
        }
    }

    private static Layer layer(Fixture f, CNN2DFormat format, DataType dataType, boolean bias, long channels,
                               long height, long width) {
        int[] kernel = {(int) f.number("kernel_h"), (int) f.number("kernel_w")};
        int[] stride = {(int) f.number("stride_h"), (int) f.number("stride_w")};
        int[] padding = {(int) f.number("padding_h"), (int) f.number("padding_w")};
        int[] dilation = {(int) f.number("dilation_h"), (int) f.number("dilation_w")};
        long channelsOut = f.array("W").size(0);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(dataType).list()
                .layer(new FastConvolution.Builder(kernel, stride, padding).dilation(dilation)
                        .convolutionMode(ConvolutionMode.valueOf(f.string("mode"))).hasBias(bias)
                        .nOut(channelsOut).activation(Activation.IDENTITY).dataFormat(format).build())
                .setInputType(InputType.convolutional(height, width, channels, format)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.initGradientsView();
        return net.getLayer(0);
    }

    private static INDArray toFormat(INDArray nchw, CNN2DFormat format) {
        return format == CNN2DFormat.NCHW ? nchw : nchw.permute(0, 2, 3, 1).dup('c');
    }
}
