package org.bn4j;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.bn4j.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** bn4j's layer against DL4J's built-in BatchNormalization where both follow the paper (same γ, β and input). */
class Dl4jBuiltInDifferentialTest {

    enum Mode { DENSE, NCHW, NHWC }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void trainingForwardAndBackwardAgree(Mode mode) {
        Nd4j.getRandom().setSeed(2024);
        Pair<Layer, Layer> layers = pair(mode, 3);
        INDArray x = input(mode).muli(3).addi(5);
        INDArray dy = Nd4j.randn(DataType.DOUBLE, x.shape());
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();

        INDArray ours = layers.getFirst().activate(x, true, mgr).dup();
        INDArray theirs = layers.getSecond().activate(x, true, mgr).dup();
        assertClose(theirs, ours, 1e-12);

        Pair<Gradient, INDArray> ourGrad = layers.getFirst().backpropGradient(dy, mgr);
        Pair<Gradient, INDArray> theirGrad = layers.getSecond().backpropGradient(dy, mgr);
        assertClose(theirGrad.getSecond(), ourGrad.getSecond(), 1e-9);
        assertClose(theirGrad.getFirst().getGradientFor("gamma"), ourGrad.getFirst().getGradientFor(BatchNorm.GAMMA),
                1e-10);
        assertClose(theirGrad.getFirst().getGradientFor("beta"), ourGrad.getFirst().getGradientFor(BatchNorm.BETA),
                1e-10);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void inferenceWithTheSamePopulationStatisticsAgrees(Mode mode) {
        Nd4j.getRandom().setSeed(99);
        Pair<Layer, Layer> layers = pair(mode, 3);
        INDArray mean = Nd4j.randn(DataType.DOUBLE, 3);
        INDArray var = Nd4j.rand(DataType.DOUBLE, 3).addi(0.2);
        layers.getFirst().setParam(BatchNorm.MEAN, mean);
        layers.getFirst().setParam(BatchNorm.VAR, var);
        layers.getSecond().setParam("mean", mean);
        layers.getSecond().setParam("var", var);
        INDArray x = input(mode);
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        assertClose(layers.getSecond().activate(x, false, mgr).dup(), layers.getFirst().activate(x, false, mgr), 1e-12);
    }

    @Test
    void populationVarianceDiffersFromDl4jByBesselsCorrectionOnly() {
        // DL4J accumulates the biased batch variance; the paper (and bn4j, and PyTorch) the unbiased m/(m−1)·σ²_B.
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 10, 3).muli(2);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 10, 3);
        MultiLayerNetwork ours = withOutput(new BatchNorm.Builder().decay(0.0).build());
        MultiLayerNetwork theirs = withOutput(new BatchNormalization.Builder().decay(0.0).useLogStd(false).build());
        ours.fit(x, labels);
        theirs.fit(x, labels);
        INDArray ourVar = ours.getLayer(0).getParam(BatchNorm.VAR);
        INDArray theirVar = theirs.getLayer(0).getParam("var");
        assertClose(theirVar.mul(10.0 / 9.0), ourVar, 1e-12);
        assertClose(theirs.getLayer(0).getParam("mean"), ours.getLayer(0).getParam(BatchNorm.MEAN), 1e-12);
        assertEquals(3, ourVar.length());
    }

    private static MultiLayerNetwork withOutput(org.deeplearning4j.nn.conf.layers.Layer bn) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .updater(new Sgd(0.1)).seed(1).list()
                .layer(bn)
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(3)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(3)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static INDArray input(Mode mode) {
        switch (mode) {
            case DENSE:
                return Nd4j.randn(DataType.DOUBLE, 7, 3);
            case NCHW:
                return Nd4j.randn(DataType.DOUBLE, 4, 3, 5, 6);
            default:
                return Nd4j.randn(DataType.DOUBLE, 4, 5, 6, 3);
        }
    }

    /** Our layer and DL4J's, each as layer 0 of its own network, with identical random γ and β. */
    private static Pair<Layer, Layer> pair(Mode mode, int features) {
        CNN2DFormat format = mode == Mode.NHWC ? CNN2DFormat.NHWC : CNN2DFormat.NCHW;
        InputType type = mode == Mode.DENSE ? InputType.feedForward(features)
                : InputType.convolutional(5, 6, features, format);
        Layer ours = single(new BatchNorm.Builder().eps(1e-5).build(), type);
        Layer theirs = single(new BatchNormalization.Builder().eps(1e-5).useLogStd(false).build(), type);
        INDArray gamma = Nd4j.rand(DataType.DOUBLE, features).addi(0.5);
        INDArray beta = Nd4j.randn(DataType.DOUBLE, features);
        ours.setParam(BatchNorm.GAMMA, gamma);
        ours.setParam(BatchNorm.BETA, beta);
        theirs.setParam("gamma", gamma);
        theirs.setParam("beta", beta);
        return new Pair<>(ours, theirs);
    }

    private static Layer single(org.deeplearning4j.nn.conf.layers.Layer layer, InputType type) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).list()
                .layer(layer).setInputType(type).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.initGradientsView();
        return net.getLayer(0);
    }
}
