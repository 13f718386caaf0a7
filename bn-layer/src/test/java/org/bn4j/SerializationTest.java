package org.bn4j;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
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
import java.io.InputStream;
import java.nio.file.Path;

import static org.bn4j.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Configuration JSON, ModelSerializer round trips, and a frozen saved model that must keep loading. */
class SerializationTest {

    /** Saved by {@link #writeFrozenModel} with bn4j 0.1.0; regenerate only when the format changes on purpose. */
    static final String FROZEN_MODEL = "/fixtures/frozen-model-v0.1.0.zip";

    @Test
    void everyOptionSurvivesTheConfigurationJsonRoundTrip() {
        BatchNorm layer = new BatchNorm.Builder().name("bn").nIn(7).eps(1e-3).decay(0.7).cumulativeAverage()
                .learnGammaBeta(false).dataFormat(CNN2DFormat.NHWC).activation(Activation.RELU).build();
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list().layer(layer).build();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        BatchNorm restored = (BatchNorm) back.getConf(0).getLayer();
        assertEquals(layer, restored);
        assertEquals(1e-3, restored.getEps());
        assertEquals(0.7, restored.getDecay());
        assertEquals(PopulationAveraging.CUMULATIVE, restored.getAveraging());
        assertEquals(CNN2DFormat.NHWC, restored.getDataFormat());
        assertEquals(conf, back);
        assertEquals(conf.toJson(), back.toJson());
    }

    @Test
    void renormAndGhostBatchOptionsSurviveJsonAndModelSerializerRoundTrips(@TempDir Path dir) throws Exception {
        RenormSchedule schedule = RenormSchedule.of(2.5, 1.5, 10, 300, 200);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(0.01)).list()
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(4).activation(Activation.IDENTITY).build())
                .layer(new BatchNorm.Builder().batchRenorm(true).renormSchedule(schedule).ghostBatchSize(3)
                        .activation(Activation.RELU).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(5, 5, 2)).build();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        BatchNorm restoredLayer = (BatchNorm) back.getConf(1).getLayer();
        assertTrue(restoredLayer.isBatchRenorm());
        assertEquals(schedule, restoredLayer.getRenormSchedule());
        assertEquals(3, restoredLayer.getGhostBatchSize());

        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        DataSet data = new DataSet(Nd4j.rand(DataType.FLOAT, 6, 2, 5, 5).muli(3),
                Nd4j.eye(3).getRows(0, 1, 2, 0, 1, 2).castTo(DataType.FLOAT));
        for (int i = 0; i < 12; i++) {
            net.fit(data);
        }
        assertEquals(12.0, net.getLayer(1).getParam(BatchNorm.RENORM_STEP).getDouble(0));
        File file = dir.resolve("renorm.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(net.params(), restored.params());
        assertEquals(12.0, restored.getLayer(1).getParam(BatchNorm.RENORM_STEP).getDouble(0), "schedule clock kept");
        net.fit(data);
        restored.fit(data);
        assertClose(net.params(), restored.params(), 1e-6);
    }

    @Test
    void graphConfigurationJsonRoundTripKeepsTheLayer() {
        ComputationGraphConfiguration conf = graphConf();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
    }

    @Test
    void modelSerializerRoundTripGivesIdenticalOutputsAndTrainingContinues(@TempDir Path dir) throws Exception {
        ComputationGraph net = new ComputationGraph(graphConf());
        net.init();
        DataSet data = data(11);
        for (int i = 0; i < 3; i++) {
            net.fit(data);
        }
        File file = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);

        assertEquals(net.params(), restored.params());
        assertClose(net.outputSingle(data.getFeatures()), restored.outputSingle(data.getFeatures()), 0);
        net.fit(data);
        restored.fit(data);
        assertClose(net.params(), restored.params(), 1e-6);
        assertClose(net.outputSingle(data.getFeatures()), restored.outputSingle(data.getFeatures()), 1e-5);
    }

    @Test
    void aModelSavedByAnEarlierVersionStillLoadsAndPredictsTheSame() throws Exception {
        try (InputStream in = SerializationTest.class.getResourceAsStream(FROZEN_MODEL)) {
            assertNotNull(in, "missing fixture " + FROZEN_MODEL);
            MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(in, true);
            INDArray input = Nd4j.linspace(-1, 1, 2 * 2 * 5 * 5, DataType.FLOAT).reshape(2, 2, 5, 5);
            INDArray expected = Nd4j.createFromArray(FrozenModelExpectations.OUTPUT).reshape(2, 3);
            assertClose(expected, net.output(input), 1e-5);
            BatchNorm bn = (BatchNorm) net.getLayer(1).conf().getLayer();
            assertEquals(1e-4, bn.getEps());
            // options added later read as their defaults: no renorm (no renormStep parameter), no ghost batches
            assertFalse(bn.isBatchRenorm());
            assertEquals(RenormSchedule.paper(), bn.getRenormSchedule());
            assertEquals(0, bn.getGhostBatchSize());
            assertEquals(java.util.List.of(BatchNorm.GAMMA, BatchNorm.BETA, BatchNorm.MEAN, BatchNorm.VAR),
                    new java.util.ArrayList<>(net.getLayer(1).paramTable().keySet()));
            assertTrue(net.getLayer(1).getParam(BatchNorm.VAR).minNumber().doubleValue() > 0);
        }
    }

    /** Writes the frozen model fixture: run once by hand with the main method when the fixture must change. */
    static MultiLayerNetwork writeFrozenModel(File file) throws Exception {
        Nd4j.getRandom().setSeed(1);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(0.01)).list()
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(4).activation(Activation.IDENTITY).build())
                .layer(new BatchNorm.Builder().eps(1e-4).activation(Activation.RELU).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(5, 5, 2)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        DataSet data = new DataSet(Nd4j.rand(DataType.FLOAT, 8, 2, 5, 5).muli(3),
                Nd4j.eye(3).getRows(0, 1, 2, 0, 1, 2, 0, 1).castTo(DataType.FLOAT));
        for (int i = 0; i < 20; i++) {
            net.fit(data);
        }
        ModelSerializer.writeModel(net, file, true);
        return net;
    }

    public static void main(String[] args) throws Exception {
        MultiLayerNetwork net = writeFrozenModel(new File(args[0]));
        INDArray input = Nd4j.linspace(-1, 1, 2 * 2 * 5 * 5, DataType.FLOAT).reshape(2, 2, 5, 5);
        System.out.println(java.util.Arrays.toString(net.output(input).data().asFloat()));
    }

    private static ComputationGraphConfiguration graphConf() {
        return new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(0.01)).graphBuilder()
                .addInputs("in")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).hasBias(false)
                        .activation(Activation.IDENTITY).build(), "in")
                .addLayer("bn", new BatchNorm.Builder().activation(Activation.RELU).build(), "conv")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "bn")
                .addLayer("bnDense", new BatchNorm.Builder().cumulativeAverage().build(), "pool")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "bnDense")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(6, 6, 1)).build();
    }

    private static DataSet data(long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, 10, 1, 6, 6);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 10, 2);
        for (int i = 0; i < 10; i++) {
            y.putScalar(i, i % 2, 1);
        }
        return new DataSet(x, y);
    }
}
