package org.bn4j.conv;

import org.bn4j.conv.layer.FastConvolutionLayer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.File;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** JSON and ModelSerializer round trips keep every FastConvolution setting, the parameters and the updater state. */
class SerializationTest {

    static FastConvolution everySetting() {
        return (FastConvolution) new FastConvolution.Builder(new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 0})
                .dilation(1, 2).convolutionMode(ConvolutionMode.Strict).hasBias(false).nIn(3).nOut(5)
                .dataFormat(CNN2DFormat.NHWC).activation(Activation.ELU).weightInit(WeightInit.RELU)
                .dropOut(new Dropout(0.7)).l2(1e-4).updater(new Adam(3e-3)).name("every-setting").build();
    }

    @Test
    void jsonRoundTripKeepsEverySetting() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list().layer(everySetting())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).build())
                .setInputType(InputType.convolutional(9, 8, 3, CNN2DFormat.NHWC)).build();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        FastConvolution layer = assertInstanceOf(FastConvolution.class, back.getConf(0).getLayer());
        FastConvolution original = (FastConvolution) conf.getConf(0).getLayer();
        assertEquals(original, layer);
        assertEquals(original.hashCode(), layer.hashCode());
        org.deeplearning4j.nn.conf.layers.Layer plain = ConvolutionConversion.toDl4jLayer(layer);
        assertNotEquals(plain, layer, "a plain ConvolutionLayer is not equal to a FastConvolution");
        assertNotEquals(layer, plain);
        assertEquals(layer, ConvolutionConversion.toFastLayer(plain));
        assertArrayEquals(new int[] {3, 2}, layer.getKernelSize());
        assertArrayEquals(new int[] {2, 1}, layer.getStride());
        assertArrayEquals(new int[] {1, 0}, layer.getPadding());
        assertArrayEquals(new int[] {1, 2}, layer.getDilation());
        assertEquals(ConvolutionMode.Strict, layer.getConvolutionMode());
        assertEquals(CNN2DFormat.NHWC, layer.getCnn2dDataFormat());
        assertEquals(false, layer.hasBias());
        assertEquals("every-setting", layer.getLayerName());
        assertEquals(conf.toJson(), back.toJson());
        assertEquals(conf.toYaml(), MultiLayerConfiguration.fromYaml(conf.toYaml()).toYaml());
    }

    @Test
    void modelSerializerRoundTripOfATrainedNetwork(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = new MultiLayerNetwork(ConvolutionConversion.toFastConvolution(ConversionTest.dl4jConf()));
        net.init();
        net.fit(ConversionTest.data(1));
        File file = dir.resolve("fast.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertInstanceOf(FastConvolutionLayer.class, restored.getLayer(0));
        assertEquals(net.params(), restored.params());
        assertEquals(net.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        INDArray x = ConversionTest.data(4).getFeatures();
        assertEquals(net.output(x), restored.output(x));
    }

    @Test
    void modelSerializerRoundTripOfAGraph(@TempDir Path dir) throws Exception {
        ComputationGraphConfiguration conf = ConvolutionConversion.toFastConvolution(ConversionTest.dl4jGraphConf());
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        net.fit(ConversionTest.data(1));
        File file = dir.resolve("graph.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);
        assertInstanceOf(FastConvolutionLayer.class, restored.getLayer("a"));
        assertEquals(net.params(), restored.params());
        INDArray x = Nd4j.randn(DataType.FLOAT, 3, 2, 10, 10);
        assertEquals(net.outputSingle(x), restored.outputSingle(x));
    }
}
