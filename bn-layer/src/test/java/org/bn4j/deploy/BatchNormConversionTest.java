package org.bn4j.deploy;

import org.bn4j.BatchNorm;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DL4J BatchNormalization ⇄ bn4j BatchNorm: γ, β, E[x], Var[x] carried over, same outputs. */
class BatchNormConversionTest {

    @Test
    void aTrainedDl4jNetworkConvertsToBn4jAndBackWithEqualOutputs() {
        MultiLayerNetwork dl4j = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .seed(5).updater(new Adam(0.05)).list()
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(3).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().name("bn-conv").useLogStd(true).decay(0.8).eps(1e-4).build())
                .layer(new DenseLayer.Builder().nOut(4).activation(Activation.RELU).build())
                .layer(new BatchNormalization.Builder().useLogStd(false).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(4, 4, 2)).build());
        dl4j.init();
        INDArray x = Nd4j.randn(DataType.DOUBLE, 10, 2, 4, 4);
        INDArray y = Nd4j.randn(DataType.DOUBLE, 10, 2);
        for (int i = 0; i < 20; i++) {
            dl4j.fit(x, y);
        }

        MultiLayerNetwork bn4j = BatchNormConversion.toBn4jBatchNorm(dl4j);

        BatchNorm conv = assertInstanceOf(BatchNorm.class, bn4j.getLayer(1).conf().getLayer());
        assertEquals("bn-conv", conv.getLayerName());
        assertEquals(0.8, conv.getDecay());
        assertEquals(1e-4, conv.getEps());
        INDArray log10std = dl4j.getLayer(1).getParam("log10stdev");
        INDArray std = Nd4j.valueArrayOf(log10std.shape(), 10.0, DataType.DOUBLE);
        std = org.nd4j.linalg.ops.transforms.Transforms.pow(std, log10std);
        assertArrayEquals(std.mul(std).toDoubleVector(), bn4j.getLayer(1).getParam(BatchNorm.VAR).toDoubleVector(),
                1e-12);
        assertArrayEquals(dl4j.getLayer(3).getParam("var").toDoubleVector(),
                bn4j.getLayer(3).getParam(BatchNorm.VAR).toDoubleVector(), 0);
        assertArrayEquals(dl4j.getLayer(3).getParam("gamma").toDoubleVector(),
                bn4j.getLayer(3).getParam(BatchNorm.GAMMA).toDoubleVector(), 0);
        assertArrayEquals(dl4j.output(x).ravel().toDoubleVector(), bn4j.output(x).ravel().toDoubleVector(), 1e-10);
        // Training-mode forward passes (batch statistics) agree too.
        assertArrayEquals(dl4j.feedForward(x, true).get(5).ravel().toDoubleVector(),
                bn4j.feedForward(x, true).get(5).ravel().toDoubleVector(), 1e-10);

        MultiLayerNetwork back = BatchNormConversion.toDl4jBatchNorm(bn4j);
        assertInstanceOf(BatchNormalization.class, back.getLayer(1).conf().getLayer());
        assertFalse(back.getLayerWiseConfigurations().toJson().contains("org.bn4j"));
        assertArrayEquals(dl4j.output(x).ravel().toDoubleVector(), back.output(x).ravel().toDoubleVector(), 1e-10);
        back.fit(x, y);   // and it still trains
    }

    @Test
    void graphConfigurationAndNetworkConvert() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .graphBuilder().addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nOut(3).activation(Activation.TANH).build(), "in")
                .addLayer("bn", new BatchNorm.Builder().learnGammaBeta(false).build(), "dense")
                // (DL4J's own BatchNormalization fails as a graph output at inference, so a layer follows it)
                .addLayer("out", new DenseLayer.Builder().nOut(2).activation(Activation.IDENTITY).build(), "bn")
                .setOutputs("out").setInputTypes(InputType.feedForward(2)).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        graph.getLayer("bn").setParam(BatchNorm.MEAN, Nd4j.createFromArray(0.1, -0.2, 0.3));
        graph.getLayer("bn").setParam(BatchNorm.VAR, Nd4j.createFromArray(0.5, 2.0, 1.5));

        ComputationGraphConfiguration dl4jConf = BatchNormConversion.toDl4jBatchNorm(conf);
        BatchNormalization layer = assertInstanceOf(BatchNormalization.class,
                ((org.deeplearning4j.nn.conf.graph.LayerVertex) dl4jConf.getVertices().get("bn")).getLayerConf()
                        .getLayer());
        assertTrue(layer.isLockGammaBeta());
        assertInstanceOf(BatchNorm.class, ((org.deeplearning4j.nn.conf.graph.LayerVertex) conf.getVertices()
                .get("bn")).getLayerConf().getLayer(), "the original configuration is unchanged");

        ComputationGraph dl4j = BatchNormConversion.toDl4jBatchNorm(graph);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 5, 2);
        assertArrayEquals(graph.outputSingle(x).ravel().toDoubleVector(), dl4j.outputSingle(x).ravel().toDoubleVector(), 1e-12);
        ComputationGraph again = BatchNormConversion.toBn4jBatchNorm(dl4j);
        assertEquals(List.of("dense", "bn"), List.of(again.getLayers()[0].conf().getLayer().getLayerName(),
                again.getLayers()[1].conf().getLayer().getLayerName()));
        assertArrayEquals(graph.outputSingle(x).ravel().toDoubleVector(), again.outputSingle(x).ravel().toDoubleVector(), 1e-12);
        assertEquals(graph.getConfiguration().toJson(), again.getConfiguration().toJson());
    }

    @Test
    void whatCannotBeExpressedIsAClearError() {
        MultiLayerConfiguration withActivation = new NeuralNetConfiguration.Builder().list()
                .layer(new BatchNorm.Builder().name("bnr").nIn(2).activation(Activation.RELU).build()).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchNormConversion.toDl4jBatchNorm(withActivation));
        assertTrue(e.getMessage().contains("\"bnr\"") && e.getMessage().contains("ActivationLayer"), e.getMessage());

        MultiLayerConfiguration locked = new NeuralNetConfiguration.Builder().list()
                .layer(new BatchNormalization.Builder().nIn(2).nOut(2).lockGammaBeta(true).gamma(2.0).build())
                .build();
        assertThrows(IllegalArgumentException.class, () -> BatchNormConversion.toBn4jBatchNorm(locked));
    }
}
