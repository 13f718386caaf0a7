package org.bn4j.deploy;

import org.bn4j.BatchNorm;
import org.bn4j.statistics.PopulationStatistics;
import org.bn4j.testutil.TestNetworks;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training with the population statistics (frozen), as for fine-tuning with small batches. */
class FrozenStatisticsTest {

    @Test
    void frozenStatisticsTrainGammaBetaAndLeaveMeanAndVarianceUnchanged() {
        MultiLayerNetwork net = network(new BatchNorm.Builder().frozenStatistics(true).activation(Activation.TANH)
                .build(), new Sgd(0.1));
        setStatistics(net.getLayer(1));
        INDArray mean = net.getLayer(1).getParam(BatchNorm.MEAN).dup();
        INDArray var = net.getLayer(1).getParam(BatchNorm.VAR).dup();
        INDArray gamma = net.getLayer(1).getParam(BatchNorm.GAMMA).dup();
        INDArray x = Nd4j.randn(DataType.DOUBLE, 1, 4);    // a batch of one example trains too
        INDArray y = Nd4j.createFromArray(new double[][] {{0, 1, 0}});

        assertEquals(net.output(x), net.feedForward(x, true).get(3), "training output = inference output");
        for (int i = 0; i < 3; i++) {
            net.fit(x, y);
        }
        assertEquals(mean, net.getLayer(1).getParam(BatchNorm.MEAN));
        assertEquals(var, net.getLayer(1).getParam(BatchNorm.VAR));
        assertNotEquals(gamma, net.getLayer(1).getParam(BatchNorm.GAMMA));
    }

    @Test
    void theGradientThroughThePopulationMapPassesAGradientCheck() {
        Nd4j.getRandom().setSeed(42);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .updater(new NoOp()).seed(3).list()
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(3).activation(Activation.IDENTITY).build())
                .layer(new BatchNorm.Builder().frozenStatistics(true).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(3, 3, 2)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        setStatistics(net.getLayer(1));
        INDArray x = Nd4j.randn(DataType.DOUBLE, 4, 2, 3, 3);
        INDArray y = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}, {0, 1}, {1, 0}});
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x)
                    .labels(y).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                    .excludeParams(Set.of("1_mean", "1_var"))));
        } finally {
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        }
    }

    @Test
    void theOptionSurvivesJsonAndOldJsonMeansBatchStatistics() {
        MultiLayerNetwork net = network(new BatchNorm.Builder().build(), new Sgd(0.1));
        assertEquals(1, BatchNormStatisticsFreezer.freeze(net));
        String json = net.getLayerWiseConfigurations().toJson();
        assertTrue(json.contains("\"frozenStatistics\" : true"), json);
        BatchNorm restored = (BatchNorm) MultiLayerConfiguration.fromJson(json).getConf(1).getLayer();
        assertTrue(restored.isFrozenStatistics());
        assertEquals(restored, net.getLayerWiseConfigurations().getConf(1).getLayer());
        String old = json.replace("\"frozenStatistics\" : true,", "");
        assertFalse(((BatchNorm) MultiLayerConfiguration.fromJson(old).getConf(1).getLayer()).isFrozenStatistics());
        assertEquals(1, BatchNormStatisticsFreezer.unfreeze(net));
        assertFalse(((BatchNorm) net.getLayer(1).conf().getLayer()).isFrozenStatistics());
    }

    @Test
    void freezingABuiltNetworkWorksWithTransferLearningAndFrozenLayers() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(9)
                .updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nOut(5).activation(Activation.IDENTITY).build())
                .layer(new BatchNorm.Builder().activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(4).activation(Activation.IDENTITY).build())
                .layer(new BatchNorm.Builder().build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(3)).build();
        MultiLayerNetwork base = new MultiLayerNetwork(conf);
        base.init();
        INDArray x = Nd4j.randn(DataType.DOUBLE, 16, 3);
        INDArray y = Nd4j.randn(DataType.DOUBLE, 16, 2);
        base.fit(x, y);
        PopulationStatistics.estimate(base, TestNetworks.iterator(x), 1);

        MultiLayerNetwork tuned = new TransferLearning.Builder(base)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Sgd(0.05)).build())
                .setFeatureExtractor(1).build();
        assertInstanceOf(FrozenLayer.class, tuned.getLayer(1));
        assertEquals(2, BatchNormStatisticsFreezer.freeze(tuned));    // layer 3, and layer 1 inside its FrozenLayer
        INDArray frozenPart = tuned.getLayer(0).params().dup();
        INDArray frozenBn = tuned.getLayer(1).params().dup();
        INDArray mean = tuned.getLayer(3).getParam(BatchNorm.MEAN).dup();
        INDArray var = tuned.getLayer(3).getParam(BatchNorm.VAR).dup();
        INDArray gamma = tuned.getLayer(3).getParam(BatchNorm.GAMMA).dup();
        INDArray small = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2));
        INDArray smallY = y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2));
        for (int i = 0; i < 3; i++) {
            tuned.fit(small, smallY);
        }
        assertEquals(frozenPart, tuned.getLayer(0).params());
        assertEquals(frozenBn, tuned.getLayer(1).params());
        assertEquals(mean, tuned.getLayer(3).getParam(BatchNorm.MEAN));
        assertEquals(var, tuned.getLayer(3).getParam(BatchNorm.VAR));
        assertNotEquals(gamma, tuned.getLayer(3).getParam(BatchNorm.GAMMA));
    }

    @Test
    void aBatchNormInFrozenLayerWithBackpropPassesGradientsAndStaysUnchanged() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(4)
                .updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.IDENTITY).build())
                .layer(new FrozenLayerWithBackprop(new BatchNorm.Builder().nIn(4).build()))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        setStatistics(net.getLayer(1));
        INDArray bn = net.getLayer(1).params().dup();
        INDArray dense = net.getLayer(0).params().dup();
        net.fit(Nd4j.randn(DataType.DOUBLE, 6, 3), Nd4j.randn(DataType.DOUBLE, 6, 2));
        assertEquals(bn, net.getLayer(1).params());
        assertNotEquals(dense, net.getLayer(0).params(), "the gradient reached the layer below");
    }

    @Test
    void builtInBatchNormalizationCannotBeFrozenAndSaysWhatToDo() {
        MultiLayerNetwork net = network(new BatchNormalization.Builder().name("dl4j-bn").build(), new Sgd(0.1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BatchNormStatisticsFreezer.freeze(net));
        assertTrue(e.getMessage().contains("dl4j-bn") && e.getMessage().contains("toBn4j"), e.getMessage());
    }

    private static MultiLayerNetwork network(org.deeplearning4j.nn.conf.layers.Layer bn,
                                             org.nd4j.linalg.learning.config.IUpdater updater) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(1)
                .updater(updater).list()
                .layer(new DenseLayer.Builder().nOut(3).activation(Activation.IDENTITY).build())
                .layer(bn)
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(4)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static void setStatistics(org.deeplearning4j.nn.api.Layer layer) {
        long n = layer.getParam(BatchNorm.MEAN).length();
        layer.setParam(BatchNorm.MEAN, Nd4j.linspace(-0.5, 0.5, n, DataType.DOUBLE));
        layer.setParam(BatchNorm.VAR, Nd4j.linspace(0.5, 2.0, n, DataType.DOUBLE));
        if (layer.getParam(BatchNorm.GAMMA) != null) {
            layer.setParam(BatchNorm.GAMMA, Nd4j.linspace(0.8, 1.4, n, DataType.DOUBLE));
            layer.setParam(BatchNorm.BETA, Nd4j.linspace(-0.3, 0.2, n, DataType.DOUBLE));
        }
    }
}
