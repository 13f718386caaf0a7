package org.bn4j;

import org.bn4j.deploy.BatchNormConversion;
import org.bn4j.deploy.BatchNormFreezer;
import org.bn4j.deploy.BatchNormStatisticsFreezer;
import org.bn4j.statistics.PopulationStatistics;
import org.bn4j.testutil.TestNetworks;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The errors where a user's code meets bn4j's (issue 23): each says what was given and what was expected in the
 * user's terms, not in terms of a shape deep inside DL4J.
 */
class SeamErrorsTest {

    /** conv(3 channels in, 28×28) → BN → pool → dense → BN → output. */
    private static MultiLayerNetwork imageNetwork() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(1)
                .updater(new Sgd(0.01)).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).stride(2, 2).activation(Activation.IDENTITY).build())
                .layer(new BatchNorm.Builder().build())
                .layer(new SubsamplingLayer.Builder(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(6).activation(Activation.IDENTITY).build())
                .layer(new BatchNorm.Builder().build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 3)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static IllegalArgumentException estimateFails(MultiLayerNetwork net, INDArray features) {
        return assertThrows(IllegalArgumentException.class,
                () -> PopulationStatistics.estimate(net, TestNetworks.iterator(features), 5));
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message lacks \"" + part + "\": " + e.getMessage());
        }
    }

    @Test
    void estimateWithAnotherChannelCountSaysWhatTheIteratorGivesAndWhatTheNetworkExpects() {
        IllegalArgumentException e = estimateFails(imageNetwork(), Nd4j.rand(DataType.FLOAT, 4, 1, 28, 28));
        assertMentions(e, "[4, 1, 28, 28]", "the network expects images [N, 3, H, W] (NCHW) with 3 channel(s)");
    }

    @Test
    void estimateWithFlattenedImagesSaysSo() {
        IllegalArgumentException e = estimateFails(imageNetwork(), Nd4j.rand(DataType.FLOAT, 4, 3 * 28 * 28));
        assertMentions(e, "[4, 2352]", "expects images [N, 3, H, W]", "flattened images");
    }

    @Test
    void estimateWithAnotherImageSizeNamesTheGivenShapeAndTheExpectedImages() {
        IllegalArgumentException e = estimateFails(imageNetwork(), Nd4j.rand(DataType.FLOAT, 4, 3, 32, 32));
        assertMentions(e, "[4, 3, 32, 32]", "3 channel(s)", "the image size of the network's input type",
                "DL4J says");
    }

    @Test
    void estimateOnADenseNetworkGivenImagesSaysSo() {
        MultiLayerNetwork net = TestNetworks.network(DataType.FLOAT,
                new DenseLayer.Builder().nIn(12).nOut(3).activation(Activation.IDENTITY).build(),
                new BatchNorm.Builder().nIn(3).build());
        IllegalArgumentException e = estimateFails(net, Nd4j.rand(DataType.FLOAT, 4, 3, 2, 2));
        assertMentions(e, "[4, 3, 2, 2]", "feature vectors [N, 12]", "image input type");
    }

    @Test
    void denseBatchNormGivenImagesNamesTheMismatchInTheUsersTerms() {
        MultiLayerNetwork net = TestNetworks.network(DataType.FLOAT, new BatchNorm.Builder().nIn(144).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.output(Nd4j.rand(DataType.FLOAT, 2, 16, 3, 3)));
        assertMentions(e, "dense batch normalization (144 features) was given image input of shape [2, 16, 3, 3]",
                "after a flatten", "after a convolution");
    }

    @Test
    void denseBatchNormGivenImagesOfAnotherSizeStillHintsAtTheCause() {
        MultiLayerNetwork net = TestNetworks.network(DataType.FLOAT, new BatchNorm.Builder().nIn(144).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.output(Nd4j.rand(DataType.FLOAT, 2, 5, 3, 3)));
        assertMentions(e, "expected 144 channels", "if this layer follows a dense layer, it was given image input");
    }

    @Test
    void estimateLeavesFrozenStatisticsUnchangedAndEstimatesTheOthers() {
        MultiLayerNetwork net = imageNetwork();
        ((BatchNorm) net.getLayer(4).conf().getLayer()).setFrozenStatistics(true);
        INDArray frozenMean = net.getLayer(4).getParam(BatchNorm.MEAN).dup();
        INDArray frozenVar = net.getLayer(4).getParam(BatchNorm.VAR).dup();
        INDArray otherMean = net.getLayer(1).getParam(BatchNorm.MEAN).dup();

        var estimate = PopulationStatistics.estimate(net,
                TestNetworks.iterator(Nd4j.rand(DataType.FLOAT, 4, 3, 28, 28)), 1);

        assertEquals(java.util.List.of("layer1"), estimate.layers());
        assertEquals(frozenMean, net.getLayer(4).getParam(BatchNorm.MEAN));
        assertEquals(frozenVar, net.getLayer(4).getParam(BatchNorm.VAR));
        assertNotEquals(otherMean, net.getLayer(1).getParam(BatchNorm.MEAN));
    }

    @Test
    void estimateWithEveryLayerFrozenSaysToUnfreezeFirst() {
        MultiLayerNetwork net = imageNetwork();
        assertEquals(2, BatchNormStatisticsFreezer.freeze(net));
        IllegalArgumentException e = estimateFails(net, Nd4j.rand(DataType.FLOAT, 4, 3, 28, 28));
        assertMentions(e, "frozen statistics", "BatchNormStatisticsFreezer.unfreeze(net)");
        assertEquals(2, BatchNormStatisticsFreezer.unfreeze(net));
        assertEquals(1, PopulationStatistics.estimate(net,
                TestNetworks.iterator(Nd4j.rand(DataType.FLOAT, 4, 3, 28, 28)), 1).batches());
    }

    @Test
    @SuppressWarnings("deprecation")
    void oldNamesStillWorkAndDoTheSameAsTheNewOnes() {
        MultiLayerNetwork net = imageNetwork();
        assertEquals(2, BatchNormFreezer.freeze(net));
        assertEquals(2, BatchNormFreezer.unfreeze(net));
        MultiLayerConfiguration dl4j = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(3).build())
                .layer(new BatchNormalization.Builder().build())
                .setInputType(InputType.feedForward(3)).build();
        assertEquals(BatchNormConversion.toBn4jBatchNorm(dl4j).toJson(), BatchNormConversion.toBn4j(dl4j).toJson());
        MultiLayerConfiguration bn4j = BatchNormConversion.toBn4jBatchNorm(dl4j);
        assertInstanceOf(BatchNorm.class, bn4j.getConf(1).getLayer());
        assertEquals(BatchNormConversion.toDl4jBatchNorm(bn4j).toJson(), BatchNormConversion.toDl4j(bn4j).toJson());
        assertInstanceOf(BatchNormalization.class, BatchNormConversion.toDl4jBatchNorm(bn4j).getConf(1).getLayer());
    }
}
