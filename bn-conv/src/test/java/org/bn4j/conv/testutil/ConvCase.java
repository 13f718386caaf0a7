package org.bn4j.conv.testutil;

import org.bn4j.conv.FastConvolution;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * One convolution configuration of the tests: layout, mode, kernel/stride/padding/dilation, bias, activation and
 * the input's size. Builds the FastConvolution or DL4J ConvolutionLayer for it, alone in a network.
 */
public record ConvCase(CNN2DFormat format, ConvolutionMode mode, int[] kernel, int[] stride, int[] padding,
                       int[] dilation, boolean bias, Activation activation, int miniBatch, int channelsIn,
                       int channelsOut, int height, int width) {

    /**
     * Parses {@code "NCHW Same k3x2 s2x1 p0x0 d1x1 bias relu 2x3x7x6 4"}: format, mode, kernel, stride, padding,
     * dilation, {@code bias|nobias}, activation, input N x C x H x W, output channels.
     */
    public static ConvCase parse(String spec) {
        String[] t = spec.trim().split("\\s+");
        int[] nchw = ints(t[8]);
        return new ConvCase(CNN2DFormat.valueOf(t[0]), ConvolutionMode.valueOf(t[1]), ints(t[2].substring(1)),
                ints(t[3].substring(1)), ints(t[4].substring(1)), ints(t[5].substring(1)), t[6].equals("bias"),
                Activation.valueOf(t[7].toUpperCase()), nchw[0], nchw[1], Integer.parseInt(t[9]), nchw[2], nchw[3]);
    }

    private static int[] ints(String s) {
        String[] p = s.split("x");
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = Integer.parseInt(p[i]);
        }
        return out;
    }

    /** The configuration, fast or DL4J's own. */
    public ConvolutionLayer layerConf(boolean fast) {
        ConvolutionLayer.Builder b = fast ? new FastConvolution.Builder(kernel, stride, padding)
                : new ConvolutionLayer.Builder(kernel, stride, padding);
        return b.dilation(dilation).convolutionMode(mode).hasBias(bias).activation(activation).nOut(channelsOut)
                .dataFormat(format).weightInit(WeightInit.XAVIER).biasInit(0.1).build();
    }

    /** The input type of the network. */
    public InputType inputType() {
        return InputType.convolutional(height, width, channelsIn, format);
    }

    /** A one-layer network with {@link #layerConf}, initialized, with a NoOp updater and the given data type. */
    public MultiLayerNetwork network(boolean fast, DataType dataType) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(dataType).seed(42)
                .updater(new NoOp()).list().layer(layerConf(fast)).setInputType(inputType()).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.initGradientsView();
        return net;
    }

    /** The layer of {@link #network}. */
    public Layer layer(boolean fast, DataType dataType) {
        return network(fast, dataType).getLayer(0);
    }

    /** A random input of this case's shape. */
    public INDArray randomInput(DataType dataType) {
        long[] shape = format == CNN2DFormat.NCHW ? new long[] {miniBatch, channelsIn, height, width}
                : new long[] {miniBatch, height, width, channelsIn};
        return Nd4j.randn(dataType, shape);
    }

    @Override
    public String toString() {
        return format + " " + mode + " k" + kernel[0] + "x" + kernel[1] + " s" + stride[0] + "x" + stride[1] + " p"
                + padding[0] + "x" + padding[1] + " d" + dilation[0] + "x" + dilation[1] + (bias ? " bias " : " nobias ")
                + activation;
    }
}
