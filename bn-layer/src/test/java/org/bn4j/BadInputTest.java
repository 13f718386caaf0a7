package org.bn4j;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind of bad input gets an exception whose message names the layer and the problem. */
class BadInputTest {

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -1e-5, Double.NaN, Double.POSITIVE_INFINITY})
    void epsMustBePositiveAndFinite(double eps) {
        expect(() -> new BatchNorm.Builder().name("bn1").eps(eps).build(),
                "BatchNorm layer \"bn1\"", "eps must be a finite value > 0");
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 1.0, 1.5, Double.NaN})
    void decayMustBeInZeroToOne(double decay) {
        expect(() -> new BatchNorm.Builder().name("bn2").decay(decay).build(),
                "BatchNorm layer \"bn2\"", "decay must be in [0, 1)");
    }

    @Test
    void nInAndNOutMustBeEqual() {
        expect(() -> new BatchNorm.Builder().name("bn3").nIn(4).nOut(5).build(),
                "BatchNorm layer \"bn3\"", "nIn (4) and nOut (5) must be equal");
    }

    @Test
    void configuredNInMustMatchThePreviousLayer() {
        // DL4J's default (overrideNinUponBuild=true) replaces nIn with the inferred size, for every layer;
        // when the user asks to keep configured sizes, a mismatch is an error.
        expect(() -> new NeuralNetConfiguration.Builder().list()
                        .layer(new DenseLayer.Builder().nOut(6).build())
                        .layer(new BatchNorm.Builder().name("bn4").nIn(5).build())
                        .setInputType(InputType.feedForward(3)).overrideNinUponBuild(false).build(),
                "BatchNorm layer \"bn4\"", "nIn=5", "6 features");
    }

    @Test
    void featureCountMustBeKnownAtInit() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new BatchNorm.Builder().name("bn5").build()).build();
        expect(() -> new MultiLayerNetwork(conf).init(), "BatchNorm layer \"bn5\"", "number of features is not set");
    }

    @Test
    void recurrentInputTypeIsRejected() {
        expect(() -> new NeuralNetConfiguration.Builder().list()
                        .layer(new LSTM.Builder().nOut(4).build())
                        .layer(new BatchNorm.Builder().name("bn6").build())
                        .setInputType(InputType.recurrent(3)).build(),
                "BatchNorm layer \"bn6\"", "supports dense (feed-forward) and 2D convolutional input");
    }

    @Test
    void wrongRankIsRejectedAtForwardTime() {
        MultiLayerNetwork net = net(new BatchNorm.Builder().name("bn7").nIn(3).build());
        expect(() -> net.output(Nd4j.rand(DataType.FLOAT, 2, 3, 4)), "bn7", "expected dense input of rank 2",
                "got rank 3");
    }

    @Test
    void wrongFeatureCountIsRejectedAtForwardTime() {
        MultiLayerNetwork net = net(new BatchNorm.Builder().name("bn8").nIn(3).build());
        expect(() -> net.output(Nd4j.rand(DataType.FLOAT, 2, 4)), "bn8", "expected 3 columns, got 4");
    }

    @Test
    void wrongChannelCountIsRejectedAtForwardTime() {
        MultiLayerNetwork net = net(new BatchNorm.Builder().name("bn9").nIn(3).build());
        expect(() -> net.output(Nd4j.rand(DataType.FLOAT, 2, 5, 4, 4)), "bn9", "expected 3 channels", "got 5");
    }

    @Test
    void aTrainingBatchOfOneDenseExampleIsRejected() {
        MultiLayerNetwork net = net(new BatchNorm.Builder().name("bn10").nIn(3).build());
        expect(() -> net.feedForward(Nd4j.rand(DataType.FLOAT, 1, 3), true), "bn10",
                "needs more than 1 value per feature");
    }

    @Test
    void aSingleExampleIsFineAtInferenceAndForConvolutionalTraining() {
        MultiLayerNetwork dense = net(new BatchNorm.Builder().nIn(3).build());
        assertEquals(3, dense.output(Nd4j.rand(DataType.FLOAT, 1, 3)).length());
        MultiLayerNetwork conv = net(new BatchNorm.Builder().nIn(2).build());
        INDArray y = conv.feedForward(Nd4j.rand(DataType.FLOAT, 1, 2, 3, 3), true).get(1);
        assertEquals(0.0, y.sum(0, 2, 3).maxNumber().doubleValue(), 1e-4);
    }

    @Test
    void nanInputPropagatesToItsFeatureInsteadOfFailing() {
        MultiLayerNetwork net = net(new BatchNorm.Builder().nIn(2).build());
        INDArray x = Nd4j.createFromArray(new float[][] {{1, 2}, {Float.NaN, 3}, {2, 5}});
        INDArray train = net.feedForward(x, true).get(1);
        assertTrue(Double.isNaN(train.getDouble(0, 0)), "NaN spreads over its feature in training");
        assertTrue(Double.isFinite(train.getDouble(0, 1)), "other features are unaffected");
        INDArray infer = net.output(x);
        assertTrue(Double.isNaN(infer.getDouble(1, 0)));
        assertTrue(Double.isFinite(infer.getDouble(0, 0)), "at inference only the NaN element is NaN");
    }

    private static MultiLayerNetwork net(BatchNorm layer) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list().layer(layer).build());
        net.init();
        return net;
    }

    private static void expect(Executable action, String... fragments) {
        Exception e = assertThrows(Exception.class, action);
        String message = fullMessage(e);
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), "message should contain \"" + fragment + "\" but was: " + message);
        }
    }

    private static String fullMessage(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append(" | ");
        }
        return sb.toString();
    }
}
