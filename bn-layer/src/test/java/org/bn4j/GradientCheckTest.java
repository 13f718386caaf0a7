package org.bn4j;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DL4J's numerical gradient checks in double precision: the backward pass through the batch statistics is exact.
 * Population statistics are excluded (they receive pseudo-gradients, not derivatives).
 */
class GradientCheckTest {

    private static final Set<String> STATISTICS = Set.of("1_mean", "1_var", "1_count", "0_mean", "0_var",
            "bn_mean", "bn_var", "bn_count");
    private static final double EPS = 1e-6;
    private static final double MAX_REL_ERROR = 1e-5;
    private static final double MIN_ABS_ERROR = 1e-9;

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restorePrecision() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    @ParameterizedTest(name = "dense, learnGammaBeta={0}")
    @ValueSource(booleans = {true, false})
    void denseLayerBetweenDenseLayers(boolean learnGammaBeta) {
        Nd4j.getRandom().setSeed(12345);
        MultiLayerConfiguration conf = base().list()
                .layer(new DenseLayer.Builder().nOut(5).hasBias(false).activation(Activation.IDENTITY).build())
                .layer(new BatchNorm.Builder().learnGammaBeta(learnGammaBeta).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(4)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        randomizeGammaBeta(net.getLayer(1).paramTable(), learnGammaBeta);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 8, 4).muli(3).subi(1);
        INDArray y = oneHot(8, 3);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                .epsilon(EPS).maxRelError(MAX_REL_ERROR).minAbsoluteError(MIN_ABS_ERROR)
                .excludeParams(STATISTICS)));
    }

    @ParameterizedTest(name = "conv {0}, learnGammaBeta={1}")
    @CsvSource({"NCHW,true", "NCHW,false", "NHWC,true", "NHWC,false"})
    void convolutionalLayerBetweenConvolutionAndOutput(CNN2DFormat format, boolean learnGammaBeta) {
        Nd4j.getRandom().setSeed(12345);
        MultiLayerConfiguration conf = base().list()
                // No bias: BN removes it, so its true gradient is 0 and the numerical one is pure round-off.
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(3).hasBias(false).dataFormat(format)
                        .activation(Activation.IDENTITY).build())
                .layer(new BatchNorm.Builder().learnGammaBeta(learnGammaBeta).build())
                .layer(new ActivationLayer.Builder().activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(4, 5, 2, format)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        randomizeGammaBeta(net.getLayer(1).paramTable(), learnGammaBeta);
        long[] shape = format == CNN2DFormat.NCHW ? new long[] {3, 2, 4, 5} : new long[] {3, 4, 5, 2};
        INDArray x = Nd4j.rand(DataType.DOUBLE, shape).muli(2).subi(0.5);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x)
                .labels(oneHot(3, 3)).epsilon(EPS).maxRelError(MAX_REL_ERROR).minAbsoluteError(MIN_ABS_ERROR)
                .excludeParams(STATISTICS)));
    }

    @ParameterizedTest(name = "graph conv -> bn -> relu, {0}")
    @ValueSource(strings = {"NCHW", "NHWC"})
    void graphWithBatchNormBetweenConvolutionAndItsActivation(CNN2DFormat format) {
        Nd4j.getRandom().setSeed(42);
        ComputationGraphConfiguration conf = base().graphBuilder()
                .addInputs("in")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).hasBias(false).dataFormat(format)
                        .activation(Activation.IDENTITY).build(), "in")
                .addLayer("bn", new BatchNorm.Builder().activation(Activation.RELU).build(), "conv")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "bn")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(5, 5, 2, format)).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        randomizeGammaBeta(graph.getLayer("bn").paramTable(), true);
        long[] shape = format == CNN2DFormat.NCHW ? new long[] {4, 2, 5, 5} : new long[] {4, 5, 5, 2};
        INDArray x = Nd4j.rand(DataType.DOUBLE, shape).subi(0.5);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(graph)
                .inputs(new INDArray[] {x}).labels(new INDArray[] {oneHot(4, 2)}).epsilon(EPS)
                .maxRelError(MAX_REL_ERROR).minAbsoluteError(MIN_ABS_ERROR).excludeParams(STATISTICS)));
    }

    @ParameterizedTest(name = "layer alone, learnGammaBeta={0}")
    @ValueSource(booleans = {true, false})
    void batchNormAsTheFirstLayer(boolean learnGammaBeta) {
        Nd4j.getRandom().setSeed(7);
        MultiLayerConfiguration conf = base().list()
                .layer(new BatchNorm.Builder().learnGammaBeta(learnGammaBeta).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2)
                        .activation(Activation.TANH).build())
                .setInputType(InputType.feedForward(3)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        randomizeGammaBeta(net.getLayer(0).paramTable(), learnGammaBeta);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 3).muli(4);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 5, 2);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                .epsilon(EPS).maxRelError(MAX_REL_ERROR).minAbsoluteError(MIN_ABS_ERROR)
                .excludeParams(STATISTICS)));
    }

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(12345).updater(new NoOp())
                .weightInit(new NormalDistribution(0, 1));
    }

    private static void randomizeGammaBeta(java.util.Map<String, INDArray> params, boolean learned) {
        if (learned) {
            params.get(BatchNorm.GAMMA).assign(Nd4j.rand(DataType.DOUBLE, params.get(BatchNorm.GAMMA).shape())
                    .addi(0.5));
            params.get(BatchNorm.BETA).assign(Nd4j.randn(DataType.DOUBLE, params.get(BatchNorm.BETA).shape()));
        }
    }

    private static INDArray oneHot(int rows, int classes) {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, rows, classes);
        for (int i = 0; i < rows; i++) {
            y.putScalar(i, i % classes, 1.0);
        }
        return y;
    }
}
