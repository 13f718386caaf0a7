package org.bn4j.conv;

import org.bn4j.conv.testutil.ConvCase;
import org.bn4j.conv.testutil.NativeThreads;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
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
 * DL4J's numerical gradient checks in double precision through FastConvolution on the libnd4j ops, for every case
 * of {@link Dl4jDifferentialTest} (layouts, Same/Truncate/Strict, stride, padding, dilation, bias, activations):
 * the layer sits between the input and a softmax output layer, so the check covers dL/dW, dL/db and, through a
 * convolution in front, dL/dx. The softmax layer's own parameters are not checked (DL4J's code), and at most
 * {@value #MAX_PER_PARAM} entries of each parameter array are.
 *
 * <p>Note: in double precision libnd4j runs its own conv2d implementation (oneDNN computes float32 only); the
 * float32 oneDNN path is checked against DL4J's layer and PyTorch in the differential tests.
 */
class GradientCheckTest {

    private static final double EPS = 1e-6;
    private static final double MAX_REL_ERROR = 1e-6;
    private static final double MIN_ABS_ERROR = 1e-9;
    /** Entries checked per parameter array (a deterministic spread over the array), to keep the test fast. */
    private static final int MAX_PER_PARAM = 12;

    private static int threadsBefore;

    /** Double, the ops, and one native thread so that 1x1 NHWC layers take the gemm path (Conv2dKernel.select). */
    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        ConvolutionBackend.force(ConvolutionBackend.OPS);
        threadsBefore = NativeThreads.set(1);
    }

    @AfterAll
    static void restore() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        ConvolutionBackend.force(null);
        NativeThreads.set(threadsBefore);
    }

    @BeforeEach
    void forceThreads() {
        ConvolutionThreads.force(threads());
    }

    @AfterEach
    void automaticThreads() {
        ConvolutionThreads.force(0);
    }

    /** Threads the batch is split over (1: not split; {@link GradientCheckSplitTest} splits it). */
    int threads() {
        return 1;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "NCHW Truncate k3x3 s1x1 p0x0 d1x1 bias tanh 2x2x6x5 3",
            "NHWC Truncate k3x3 s1x1 p0x0 d1x1 bias tanh 2x2x6x5 3",
            "NCHW Truncate k3x2 s2x1 p1x2 d1x1 nobias sigmoid 2x2x7x6 3",
            "NHWC Truncate k3x2 s2x1 p1x2 d1x1 nobias sigmoid 2x2x7x6 3",
            "NCHW Truncate k2x2 s1x2 p1x0 d2x2 bias identity 2x2x7x7 3",
            "NHWC Truncate k2x2 s1x2 p1x0 d2x2 bias identity 2x2x7x7 3",
            "NCHW Same k3x3 s1x1 p0x0 d1x1 bias relu 2x2x5x4 3",
            "NHWC Same k3x3 s1x1 p0x0 d1x1 bias relu 2x2x5x4 3",
            "NCHW Same k3x3 s2x2 p0x0 d1x1 nobias tanh 2x2x6x5 3",
            "NHWC Same k3x3 s2x2 p0x0 d1x1 nobias tanh 2x2x6x5 3",
            "NCHW Same k4x2 s3x2 p0x0 d1x2 bias softsign 2x2x7x6 3",
            "NHWC Same k4x2 s3x2 p0x0 d1x2 bias softsign 2x2x7x6 3",
            "NCHW Strict k3x3 s2x2 p1x1 d1x1 bias elu 2x2x5x5 3",
            "NHWC Strict k3x3 s2x2 p1x1 d1x1 bias elu 2x2x5x5 3",
            "NCHW Strict k1x1 s1x1 p0x0 d1x1 nobias identity 2x3x3x3 2",
    })
    void multiLayerNetwork(String spec) {
        // every entry: DL4J M2.1's subset(true) mode passed a deliberately transposed dL/dW (see below)
        assertTrue(check(spec, false), spec);
    }

    /**
     * The 1x1 gemm path ({@link org.bn4j.conv.ops.Conv2dKernel#POINTWISE_GEMM}: NHWC, stride 1, no padding), which
     * both layers take, with EVERY parameter entry checked: DL4J M2.1's {@code subset(true)} mode passed a
     * deliberately transposed dL/dW on these small layers, the full check fails it.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "NHWC Same k1x1 s1x1 p0x0 d1x1 bias tanh 2x3x4x5 3",
            "NHWC Truncate k1x1 s1x1 p0x0 d1x1 nobias sigmoid 2x3x3x2 2",
            "NHWC Truncate k1x1 s1x1 p0x0 d1x1 bias identity 3x4x2x3 5",
    })
    void pointwiseGemmPathEveryEntry(String spec) {
        assertTrue(check(spec, false), spec);
    }

    private static boolean check(String spec, boolean subset) {
        ConvCase c = ConvCase.parse(spec);
        Nd4j.getRandom().setSeed(12345);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(12345)
                .updater(new NoOp()).list()
                // a first convolution so that the layer under test must produce a correct dL/dx
                .layer(new FastConvolution.Builder(1, 1).nOut(c.channelsIn()).activation(Activation.TANH)
                        .dataFormat(c.format()).build())
                .layer(c.layerConf(true))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(c.inputType()).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        assertTrue(net.getLayer(1) instanceof org.bn4j.conv.layer.FastConvolutionLayer);
        INDArray x = c.randomInput(DataType.DOUBLE);
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x)
                .labels(labels(c.miniBatch())).epsilon(EPS).maxRelError(MAX_REL_ERROR)
                .minAbsoluteError(MIN_ABS_ERROR).excludeParams(Set.of("2_W", "2_b"))
                .subset(subset).maxPerParam(MAX_PER_PARAM));
    }

    @Test
    void computationGraphWithTwoBranches() {
        Nd4j.getRandom().setSeed(12345);
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .seed(12345).updater(new NoOp()).graphBuilder().addInputs("in")
                .addLayer("a", new FastConvolution.Builder(3, 3).nOut(2).activation(Activation.TANH)
                        .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same).build(), "in")
                .addLayer("b", new FastConvolution.Builder(1, 1).nOut(2).activation(Activation.SIGMOID)
                        .build(), "a")
                .addLayer("c", new FastConvolution.Builder(3, 3).nOut(2).activation(Activation.TANH)
                        .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same).build(), "a")
                .addVertex("m", new org.deeplearning4j.nn.conf.graph.MergeVertex(), "b", "c")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "m")
                .setOutputs("out")
                .setInputTypes(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(5, 5, 2)).build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        INDArray x = Nd4j.randn(DataType.DOUBLE, 2, 2, 5, 5);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                .inputs(new INDArray[] {x}).labels(new INDArray[] {labels(2)}).epsilon(EPS)
                .maxRelError(MAX_REL_ERROR).minAbsoluteError(MIN_ABS_ERROR).excludeParams(Set.of("out_W", "out_b"))
                .subset(false).maxPerParam(MAX_PER_PARAM)));
    }

    private static INDArray labels(int n) {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, n, 3);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, (i * 2) % 3, 1.0);
        }
        return y;
    }
}
