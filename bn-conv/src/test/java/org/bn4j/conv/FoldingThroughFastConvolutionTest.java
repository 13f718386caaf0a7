package org.bn4j.conv;

import org.bn4j.BatchNorm;
import org.bn4j.deploy.BatchNormFolding;
import org.bn4j.deploy.FoldingResult;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deployment in one call: BatchNormFolding replaces FastConvolution by DL4J's ConvolutionLayer and folds the
 * batch normalization that follows it, so the result holds only DL4J classes, keeps the outputs, and loads in a JVM
 * with only DL4J on its class path.
 */
class FoldingThroughFastConvolutionTest {

    private static final long[] SHAPE = {4, 2, 8, 8};

    private static MultiLayerNetwork trainedFastNetwork() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(5)
                .updater(new Adam(1e-2)).list()
                .layer(new FastConvolution.Builder(3, 3).nOut(6).hasBias(false).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).name("conv1").build())
                .layer(new BatchNorm.Builder().activation(Activation.RELU).name("bn1").build())
                .layer(new SubsamplingLayer.Builder(2, 2).stride(2, 2).build())
                .layer(new FastConvolution.Builder(3, 3).nOut(4).activation(Activation.RELU).name("conv2").build())
                .layer(new DenseLayer.Builder().nOut(5).activation(Activation.IDENTITY).name("dense").build())
                .layer(new BatchNorm.Builder().activation(Activation.TANH).name("bn2").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(8, 8, 2)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.randn(DataType.FLOAT, SHAPE);
        INDArray y = Nd4j.zeros(DataType.FLOAT, SHAPE[0], 3);
        for (int i = 0; i < SHAPE[0]; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        for (int i = 0; i < 3; i++) {
            net.fit(new DataSet(x, y));
        }
        return net;
    }

    private static INDArray input() {
        long n = SHAPE[0] * SHAPE[1] * SHAPE[2] * SHAPE[3];
        return Nd4j.linspace(DataType.FLOAT, -1.0, 2.0 / n, n).reshape(SHAPE);
    }

    @Test
    void foldingAFastConvolutionNetworkGivesAPlainDl4jNetworkInOneCall(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = trainedFastNetwork();
        FoldingResult<MultiLayerNetwork> result = BatchNormFolding.fold(net);

        assertTrue(result.isFullyFolded(), result.report());
        assertEquals(List.of("conv1", "conv2"), result.converted(), result.report());
        assertEquals("conv1", result.folded().get(0).into());
        assertEquals("dense", result.folded().get(1).into());
        MultiLayerNetwork folded = result.network();
        assertEquals(5, folded.getnLayers());
        assertSame(ConvolutionLayer.class, folded.getLayerWiseConfigurations().getConf(0).getLayer().getClass());
        assertSame(ConvolutionLayer.class, folded.getLayerWiseConfigurations().getConf(2).getLayer().getClass());
        String json = folded.getLayerWiseConfigurations().toJson();
        assertFalse(json.contains("org.bn4j"), json);
        assertFalse(result.report().isEmpty());
        assertTrue(net.getLayerWiseConfigurations().getConf(0).getLayer() instanceof FastConvolution,
                "the original network is unchanged");

        INDArray x = input();
        double[] expected = net.output(x).ravel().toDoubleVector();
        ConversionTest.assertClose(net.output(x), folded.output(x), 1e-5);

        File model = dir.resolve("folded.zip").toFile();
        ModelSerializer.writeModel(folded, model, false);
        List<String> printed = ConversionTest.runPlainDl4j(dir, model, SHAPE);
        assertEquals(expected.length, printed.size(), "values printed by the plain-DL4J JVM: " + printed);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], Double.parseDouble(printed.get(i)), 1e-5, "output " + i);
        }
    }

    @Test
    void graphFoldsThroughFastConvolutionToo() {
        var conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(5).updater(new Adam(1e-2))
                .graphBuilder().addInputs("in")
                .addLayer("conv", new FastConvolution.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build(), "in")
                .addLayer("bn", new BatchNorm.Builder().activation(Activation.RELU).build(), "conv")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "bn")
                .setOutputs("out").setInputTypes(InputType.convolutional(8, 8, 2)).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        INDArray x = input();
        INDArray y = Nd4j.zeros(DataType.FLOAT, SHAPE[0], 3);
        y.putColumn(0, Nd4j.ones(DataType.FLOAT, SHAPE[0]));
        graph.fit(new DataSet(x, y));

        FoldingResult<ComputationGraph> result = BatchNormFolding.fold(graph);
        assertTrue(result.isFullyFolded(), result.report());
        assertEquals(List.of("conv"), result.converted());
        assertFalse(result.network().getConfiguration().toJson().contains("org.bn4j"));
        ConversionTest.assertClose(graph.outputSingle(x), result.network().outputSingle(x), 1e-5);
    }
}
