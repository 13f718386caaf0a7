package org.bn4j.statistics;

import org.bn4j.BatchNorm;
import org.bn4j.testutil.Fixture;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.adapter.MultiDataSetIteratorAdapter;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.bn4j.testutil.TestNetworks.column;
import static org.bn4j.testutil.TestNetworks.iterator;
import static org.bn4j.testutil.TestNetworks.network;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Algorithm 2 (Ioffe &amp; Szegedy §3.1): E[x] = mean of batch means, Var[x] = m/(m−1)·mean of biased variances. */
class PopulationStatisticsTest {

    private static final String[] TRAIN = {"train_0", "train_1", "train_2", "train_3"};

    @Test
    void twoBatchesOfThreeGiveTheMeanOfMeansAndTheUnbiasedMeanVariance() {
        // Batches [1,2,3] (μ 2, σ² 2/3) and [4,6,8] (μ 6, σ² 8/3): E = 4, Var = 3/2·(2/3 + 8/3)/2 = 2.5.
        // A second BN sees the first one's output in training mode: mean 0, biased variance σ²/(σ²+ε).
        double eps = 1e-5;
        MultiLayerNetwork net = network(DataType.DOUBLE, new BatchNorm.Builder().nIn(1).eps(eps).build(),
                new BatchNorm.Builder().nIn(1).eps(eps).build());
        PopulationEstimate e = PopulationStatistics.estimate(net, iterator(column(1, 2, 3), column(4, 6, 8)), 10);

        assertEquals(2, e.batches());
        assertEquals(4.0, net.getLayer(0).getParam(BatchNorm.MEAN).getDouble(0), 1e-12);
        assertEquals(2.5, net.getLayer(0).getParam(BatchNorm.VAR).getDouble(0), 1e-12);
        double second = 1.5 * ((2.0 / 3) / (2.0 / 3 + eps) + (8.0 / 3) / (8.0 / 3 + eps)) / 2;
        assertEquals(0.0, net.getLayer(1).getParam(BatchNorm.MEAN).getDouble(0), 1e-12);
        assertEquals(second, net.getLayer(1).getParam(BatchNorm.VAR).getDouble(0), 1e-12);
        assertEquals(List.of("layer0", "layer1"), e.layers());
        assertEquals(2.5, e.variance("layer0").getDouble(0), 1e-12);
    }

    @Test
    void aLastSmallerBatchCountsAsMuchAsAFullOneWithItsOwnBesselCorrection() {
        // [1,2,3], [4,6,8], [10,20]: E = (2 + 6 + 15)/3; Var = (3/2·2/3 + 3/2·8/3 + 2/1·25)/3 = 55/3.
        MultiLayerNetwork net = network(DataType.DOUBLE, new BatchNorm.Builder().nIn(1).build());
        PopulationStatistics.estimate(net, iterator(column(1, 2, 3), column(4, 6, 8), column(10, 20)), 10);
        assertEquals(23.0 / 3, net.getLayer(0).getParam(BatchNorm.MEAN).getDouble(0), 1e-12);
        assertEquals(55.0 / 3, net.getLayer(0).getParam(BatchNorm.VAR).getDouble(0), 1e-12);
    }

    @Test
    void maxBatchesLimitsThePassAndCumulativeCountIsTheNumberOfBatches() {
        MultiLayerNetwork net = network(DataType.DOUBLE, new BatchNorm.Builder().nIn(1).cumulativeAverage().build());
        PopulationEstimate e = PopulationStatistics.estimate(net,
                iterator(column(1, 2, 3), column(4, 6, 8), column(100, 200, 300)), 2);
        assertEquals(2, e.batches());
        assertEquals(4.0, net.getLayer(0).getParam(BatchNorm.MEAN).getDouble(0), 1e-12);
        assertEquals(2.0, net.getLayer(0).getParam(BatchNorm.COUNT).getDouble(0), 0);
    }

    @Test
    void agreesWithThePyTorchAlgorithm2FixtureForBn4jAndBuiltInLayers() {
        Fixture f = Fixture.load("nchw_algorithm2");
        INDArray gamma = f.array("gamma");
        INDArray beta = f.array("beta");
        double eps = f.number("eps");
        // bn4j layer in a MultiLayerNetwork
        MultiLayerNetwork bn4j = network(DataType.DOUBLE, new BatchNorm.Builder().nIn(2).eps(eps).build());
        bn4j.getLayer(0).setParam(BatchNorm.GAMMA, gamma);
        bn4j.getLayer(0).setParam(BatchNorm.BETA, beta);
        PopulationStatistics.estimate(bn4j, fixtureIterator(f), 100);
        assertArrayEquals(f.array("population_mean").toDoubleVector(),
                bn4j.getLayer(0).getParam(BatchNorm.MEAN).toDoubleVector(), 1e-12);
        assertArrayEquals(f.array("population_var").toDoubleVector(),
                bn4j.getLayer(0).getParam(BatchNorm.VAR).toDoubleVector(), 1e-12);
        assertArrayEquals(f.array("test_y").ravel().toDoubleVector(),
                bn4j.output(f.array("test_x")).ravel().toDoubleVector(), 1e-10);

        // DL4J's built-in layer (log10-std parameterization) in a ComputationGraph fed by a MultiDataSetIterator
        ComputationGraph graph = graph(new BatchNormalization.Builder().nIn(2).nOut(2).eps(eps).useLogStd(true)
                .build());
        graph.getLayer("bn").setParam("gamma", gamma.reshape(1, 2));
        graph.getLayer("bn").setParam("beta", beta.reshape(1, 2));
        PopulationEstimate e = PopulationStatistics.estimate(graph,
                new MultiDataSetIteratorAdapter(fixtureIterator(f)), 100);
        assertEquals(4, e.batches());
        assertArrayEquals(f.array("population_var").toDoubleVector(), e.variance("bn").toDoubleVector(), 1e-12);
        assertArrayEquals(f.array("population_mean").toDoubleVector(),
                graph.getLayer("bn").getParam("mean").toDoubleVector(), 1e-12);
        assertArrayEquals(f.array("test_y").ravel().toDoubleVector(),
                graph.outputSingle(f.array("test_x")).ravel().toDoubleVector(), 1e-10);
    }

    @Test
    void builtInLayerWithVarianceParameterIsRecalibratedFromADataSetIteratorInAGraph() {
        Fixture f = Fixture.load("nchw_algorithm2");
        ComputationGraph graph = graph(new BatchNormalization.Builder().nIn(2).nOut(2).useLogStd(false).build());
        PopulationStatistics.estimate(graph, fixtureIterator(f), 100);
        assertArrayEquals(f.array("population_var").toDoubleVector(),
                graph.getLayer("bn").getParam("var").toDoubleVector(), 1e-12);
    }

    @Test
    void everythingButThePopulationStatisticsIsBitForBitUnchanged() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(7)
                .updater(new Adam(0.01)).list()
                .layer(new DenseLayer.Builder().nOut(3).activation(Activation.TANH).build())
                .layer(new BatchNorm.Builder().build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(2)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 8, 2);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 8, 1);
        for (int i = 0; i < 3; i++) {
            net.fit(x, y);
        }
        INDArray params = net.params().dup();
        INDArray updater = net.getUpdater().getStateViewArray().dup();
        int iterations = net.getIterationCount();
        String json = net.getLayerWiseConfigurations().toJson();

        PopulationStatistics.estimate(net, iterator(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4)),
                x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(4, 8))), 10);

        INDArray after = net.params();
        INDArray changed = after.neq(params).castTo(DataType.INT32);
        // Only layer 1's mean/var (3 + 3 values at offsets 9 + 6 .. 9 + 12) and layer 2's mean/log10std changed.
        long denseParams = 2 * 3 + 3;
        for (long i = 0; i < after.length(); i++) {
            boolean statistic = (i >= denseParams + 6 && i < denseParams + 12)
                    || (i >= denseParams + 12 + 6 && i < denseParams + 12 + 12);
            if (!statistic) {
                assertEquals(params.getDouble(i), after.getDouble(i), 0.0, "parameter " + i);
            }
        }
        assertTrue(changed.sumNumber().intValue() > 0);
        assertEquals(updater, net.getUpdater().getStateViewArray());
        assertEquals(iterations, net.getIterationCount());
        assertEquals(json, net.getLayerWiseConfigurations().toJson());
    }

    @Test
    void singleImageBatchesCountForConvolutionalLayers() {
        // One 2-channel 3x3 image per batch: m = 9 values per channel, as the layer accepts in training.
        // Channel c of image i holds 9 values; E[x] is the mean of the two images' means, Var[x] the mean of the
        // two unbiased (9/8) variances.
        ComputationGraph graph = graph(new BatchNorm.Builder().nIn(2).build());
        Nd4j.getRandom().setSeed(3);
        INDArray first = Nd4j.randn(DataType.DOUBLE, 1, 2, 3, 3);
        INDArray second = Nd4j.randn(DataType.DOUBLE, 1, 2, 3, 3).addi(5);
        PopulationEstimate e = PopulationStatistics.estimate(graph, iterator(first, second), 10);

        assertEquals(2, e.batches());
        for (int c = 0; c < 2; c++) {
            double mean = 0;
            double var = 0;
            for (INDArray image : new INDArray[] {first, second}) {
                INDArray channel = image.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(c)).dup();
                mean += channel.meanNumber().doubleValue() / 2;
                var += channel.varNumber().doubleValue() / 2;       // unbiased (bias-corrected) variance
            }
            assertEquals(mean, graph.getLayer("bn").getParam(BatchNorm.MEAN).getDouble(c), 1e-12);
            assertEquals(var, graph.getLayer("bn").getParam(BatchNorm.VAR).getDouble(c), 1e-12);
        }
    }

    @Test
    void singleExampleBatchesAreSkippedWhenALayerSeesOneValuePerFeature() {
        // Dense input: a batch of one example has one value per feature and no batch variance.
        MultiLayerNetwork net = network(DataType.DOUBLE, new BatchNorm.Builder().nIn(1).build());
        PopulationEstimate e = PopulationStatistics.estimate(net, iterator(column(1, 2, 3), column(7), column(4, 6, 8)),
                10);
        assertEquals(2, e.batches());
        assertEquals(4.0, net.getLayer(0).getParam(BatchNorm.MEAN).getDouble(0), 1e-12);
        IllegalArgumentException only = assertThrows(IllegalArgumentException.class,
                () -> PopulationStatistics.estimate(net, iterator(column(7)), 10));
        assertTrue(only.getMessage().contains("1 skipped"), only.getMessage());
    }

    @Test
    void countsIsTheRuleThatDecidesWhichMiniBatchesAreUsed() {
        MultiLayerNetwork dense = network(DataType.DOUBLE, new BatchNorm.Builder().nIn(1).build());
        INDArray params = dense.params().dup();
        INDArray input = column(3, 4);
        dense.setInput(input);
        assertTrue(PopulationStatistics.counts(dense, column(1, 2)));
        assertFalse(PopulationStatistics.counts(dense, column(7)), "one value per feature in a dense layer");
        assertEquals(params, dense.params());
        assertSame(input, dense.getInput(), "the network's input is put back");

        ComputationGraph conv = graph(new BatchNorm.Builder().nIn(2).build());
        Nd4j.getRandom().setSeed(4);
        assertTrue(PopulationStatistics.counts(conv, new INDArray[] {Nd4j.randn(DataType.DOUBLE, 1, 2, 3, 3)}),
                "a single 3x3 image gives 9 values per channel");
        assertFalse(PopulationStatistics.counts(conv, new INDArray[] {Nd4j.randn(DataType.DOUBLE, 1, 2, 1, 1)}),
                "a single 1x1 image gives one value per channel");
    }

    @Test
    void anEmptyIteratorIsAClearError() {
        MultiLayerNetwork net = network(DataType.DOUBLE, new BatchNorm.Builder().nIn(1).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PopulationStatistics.estimate(net, new ExistingDataSetIterator(Collections.emptyList()), 5));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void aNetworkWithoutBatchNormalizationIsAClearError() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(1).nOut(1).build()).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PopulationStatistics.estimate(net, iterator(column(1, 2)), 5));
        assertTrue(e.getMessage().contains("no batch-normalization layer"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PopulationStatistics.estimate(
                network(DataType.DOUBLE, new BatchNorm.Builder().nIn(1).build()), iterator(column(1, 2)), 0));
    }

    private static ComputationGraph graph(org.deeplearning4j.nn.conf.layers.Layer bn) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .graphBuilder().addInputs("in").addLayer("bn", bn, "in").setOutputs("bn")
                .setInputTypes(InputType.convolutional(3, 3, 2)).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    private static ExistingDataSetIterator fixtureIterator(Fixture f) {
        List<DataSet> list = new ArrayList<>();
        for (String key : TRAIN) {
            INDArray x = f.array(key);
            list.add(new DataSet(x, Nd4j.zeros(DataType.DOUBLE, x.size(0), 1)));
        }
        return new ExistingDataSetIterator(list);
    }
}
