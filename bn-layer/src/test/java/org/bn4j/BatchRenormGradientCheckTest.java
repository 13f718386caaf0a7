package org.bn4j;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gradient checks in double for Batch Renormalization and ghost batches.
 *
 * <p>Renorm treats r and d as constants in the backward pass (Ioffe 2017), so its gradient is not the derivative of
 * the forward function; it is checked against central differences of the same definition with r and d held at their
 * forward values, {@code y = γ·((x − μ_B)/σ_B·r + d) + β}, written out here independently of the layer. Where r and d
 * are clipped for every feature they are locally constant, and DL4J's own gradient check applies to the whole
 * network. Ghost batches are an ordinary function of the input: DL4J's gradient check applies directly.
 */
class BatchRenormGradientCheckTest {

    private static final Set<String> STATISTICS = Set.of("1_mean", "1_var", "1_count", "1_renormStep");
    private static final double H = 1e-6;
    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restorePrecision() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        System.clearProperty("bn4j.kernels");
    }

    @ParameterizedTest(name = "{0}, ghost {1}, population shift {2}, kernels {3}")
    @CsvSource({"dense,0,0.3,cpu", "dense,0,0.3,nd4j", "dense,3,0.3,cpu", "dense,0,4.0,cpu", "nchw,0,0.3,cpu",
            "nchw,0,0.3,nd4j", "nchw,2,0.3,nd4j", "nhwc,0,0.3,cpu", "nhwc,3,4.0,nd4j"})
    void renormGradientEqualsFiniteDifferencesWithRAndDHeldConstant(String layout, int ghost, double shift,
                                                                     String kernels) {
        System.setProperty("bn4j.kernels", kernels);
        Nd4j.getRandom().setSeed(2017);
        long[] shape = "dense".equals(layout) ? new long[] {6, 3}
                : "nchw".equals(layout) ? new long[] {6, 3, 2, 2} : new long[] {6, 2, 2, 3};
        INDArray x = Nd4j.rand(DataType.DOUBLE, shape).muli(3).subi(1);
        INDArray w = Nd4j.randn(DataType.DOUBLE, shape);
        Layer layer = BatchRenormReferenceTest.layer(layout, new BatchNorm.Builder().eps(1e-3).batchRenorm(true)
                .renormSchedule(RenormSchedule.constant(3, 2)).ghostBatchSize(ghost), x);
        INDArray gamma = Nd4j.rand(DataType.DOUBLE, 3).addi(0.5);
        INDArray beta = Nd4j.randn(DataType.DOUBLE, 3);
        layer.setParam(BatchNorm.GAMMA, gamma);
        layer.setParam(BatchNorm.BETA, beta);
        // moving averages near the batch's (r, d unclipped) or far from them (r, d clipped)
        Reference ref = new Reference(toNcs(x, layout), ghost, 1e-3, 3, 2);
        double[] popMean = new double[3];
        double[] popVar = new double[3];
        for (int c = 0; c < 3; c++) {
            double[] whole = ref.moments(ref.x0, 0, 6, c);
            popVar[c] = whole[1] * (shift > 1 ? (1 + shift) * (1 + shift) : 1.1);
            popMean[c] = whole[0] - (shift > 1 ? 3 : 0.1) * Math.sqrt(popVar[c]);
        }
        layer.setParam(BatchNorm.MEAN, Nd4j.createFromArray(popMean));
        layer.setParam(BatchNorm.VAR, Nd4j.createFromArray(popVar));
        ref.fixCorrection(popMean, popVar);
        assertTrue(shift > 1 ? ref.allClipped() : ref.someUnclipped(), "the case exercises what it claims to");

        layer.activate(x, true, NO_WORKSPACES);
        Pair<Gradient, INDArray> grad = layer.backpropGradient(w, NO_WORKSPACES);
        double[] dx = toNcs(grad.getSecond(), layout);
        double[] dGamma = grad.getFirst().getGradientFor(BatchNorm.GAMMA).toDoubleVector();
        double[] dBeta = grad.getFirst().getGradientFor(BatchNorm.BETA).toDoubleVector();

        double[] xs = toNcs(x, layout);
        double[] ws = toNcs(w, layout);
        double[] g = gamma.toDoubleVector();
        double[] b = beta.toDoubleVector();
        for (int i = 0; i < xs.length; i++) {
            double keep = xs[i];
            xs[i] = keep + H;
            double plus = ref.loss(xs, ws, g, b);
            xs[i] = keep - H;
            double minus = ref.loss(xs, ws, g, b);
            xs[i] = keep;
            assertClose((plus - minus) / (2 * H), dx[i], "dx[" + i + "]");
        }
        for (int c = 0; c < 3; c++) {
            double keep = g[c];
            g[c] = keep + H;
            double plus = ref.loss(xs, ws, g, b);
            g[c] = keep - H;
            double minus = ref.loss(xs, ws, g, b);
            g[c] = keep;
            assertClose((plus - minus) / (2 * H), dGamma[c], "dgamma[" + c + "]");
            b[c] += H;
            plus = ref.loss(xs, ws, g, b);
            b[c] -= 2 * H;
            minus = ref.loss(xs, ws, g, b);
            b[c] += H;
            assertClose((plus - minus) / (2 * H), dBeta[c], "dbeta[" + c + "]");
        }
    }

    @ParameterizedTest(name = "ghost batches, {0}")
    @ValueSource(strings = {"NCHW", "NHWC"})
    void ghostBatchesPassDl4jGradientCheckInAConvolutionalNetwork(CNN2DFormat format) {
        Nd4j.getRandom().setSeed(12345);
        MultiLayerConfiguration conf = base().list()
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(3).hasBias(false).dataFormat(format)
                        .activation(Activation.IDENTITY).build())
                .layer(new BatchNorm.Builder().ghostBatchSize(2).activation(Activation.TANH).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(4, 4, 2, format)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        long[] shape = format == CNN2DFormat.NCHW ? new long[] {5, 2, 4, 4} : new long[] {5, 4, 4, 2};
        INDArray x = Nd4j.rand(DataType.DOUBLE, shape).muli(2).subi(0.5);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x)
                .labels(oneHot(5, 3)).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .excludeParams(STATISTICS)));
    }

    @Test
    void renormWithEveryRAndDClippedPassesDl4jGradientCheckInADenseNetwork() {
        // Input ~10× the population's spread and offset: r = r_max and d = ±d_max for every feature, constants.
        Nd4j.getRandom().setSeed(7);
        MultiLayerConfiguration conf = base().list()
                .layer(new DenseLayer.Builder().nOut(4).hasBias(false).activation(Activation.IDENTITY).build())
                .layer(new BatchNorm.Builder().batchRenorm(true).renormSchedule(RenormSchedule.constant(1.5, 0.5))
                        .ghostBatchSize(4).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(3)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.getLayer(1).getParam(BatchNorm.MEAN).assign(-30);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 8, 3).muli(10).addi(5);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x)
                .labels(oneHot(8, 3)).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .excludeParams(STATISTICS)));
        assertEquals(0.0, net.getLayer(1).getParam(BatchNorm.RENORM_STEP).getDouble(0), "no fit, no step");
    }

    private static void assertClose(double expected, double actual, String what) {
        double err = Math.abs(expected - actual) / Math.max(1e-3, Math.abs(expected) + Math.abs(actual));
        assertTrue(err < 1e-6, what + ": finite difference " + expected + ", layer " + actual);
    }

    /** {@code a} as flat [N, C, S] (S = 1 for dense, H·W for images; NHWC permuted to NCHW). */
    private static double[] toNcs(INDArray a, String layout) {
        INDArray nchw = "nhwc".equals(layout) ? a.permute(0, 3, 1, 2) : a;
        return nchw.dup('c').data().asDouble();
    }

    /** The renormalized layer, y = γ·((x − μ_B)/σ_B·r + d) + β per sub-batch, with r and d fixed by the caller. */
    private static final class Reference {
        final int n;
        final int c = 3;
        final int s;
        final int[] parts;
        final double eps;
        final double rMax;
        final double dMax;
        final double[] x0;
        double[][] r;
        double[][] d;

        Reference(double[] x0, int ghost, double eps, double rMax, double dMax) {
            this.x0 = x0.clone();
            this.n = 6;
            this.s = x0.length / (n * c);
            this.parts = ghost == 3 ? new int[] {3, 3} : ghost == 2 ? new int[] {2, 2, 2} : new int[] {6};
            this.eps = eps;
            this.rMax = rMax;
            this.dMax = dMax;
        }

        /** r and d of the unperturbed input against the moving averages (Ioffe 2017, Algorithm 1). */
        void fixCorrection(double[] popMean, double[] popVar) {
            r = new double[parts.length][c];
            d = new double[parts.length][c];
            int start = 0;
            for (int p = 0; p < parts.length; p++) {
                for (int f = 0; f < c; f++) {
                    double[] mv = moments(x0, start, parts[p], f);
                    double sigma = Math.sqrt(popVar[f] + eps);
                    r[p][f] = Math.max(1 / rMax, Math.min(rMax, Math.sqrt(mv[1] + eps) / sigma));
                    d[p][f] = Math.max(-dMax, Math.min(dMax, (mv[0] - popMean[f]) / sigma));
                }
                start += parts[p];
            }
        }

        boolean allClipped() {
            for (int p = 0; p < parts.length; p++) {
                for (int f = 0; f < c; f++) {
                    if (Math.abs(Math.log(r[p][f])) < Math.log(rMax) - 1e-12 || Math.abs(d[p][f]) < dMax - 1e-12) {
                        return false;
                    }
                }
            }
            return true;
        }

        boolean someUnclipped() {
            for (int p = 0; p < parts.length; p++) {
                for (int f = 0; f < c; f++) {
                    if (Math.abs(Math.log(r[p][f])) < Math.log(rMax) - 1e-3 && Math.abs(d[p][f]) < dMax - 1e-3) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** Σ w·y. */
        double loss(double[] x, double[] w, double[] gamma, double[] beta) {
            double sum = 0;
            int start = 0;
            for (int p = 0; p < parts.length; p++) {
                for (int f = 0; f < c; f++) {
                    double[] mv = moments(x, start, parts[p], f);
                    double sigmaB = Math.sqrt(mv[1] + eps);
                    for (int i = start; i < start + parts[p]; i++) {
                        for (int k = 0; k < s; k++) {
                            int at = (i * c + f) * s + k;
                            double y = gamma[f] * ((x[at] - mv[0]) / sigmaB * r[p][f] + d[p][f]) + beta[f];
                            sum += w[at] * y;
                        }
                    }
                }
                start += parts[p];
            }
            return sum;
        }

        /** Mean and biased variance of feature f over examples [start, start + size). */
        double[] moments(double[] x, int start, int size, int f) {
            double mean = 0;
            for (int i = start; i < start + size; i++) {
                for (int k = 0; k < s; k++) {
                    mean += x[(i * c + f) * s + k];
                }
            }
            mean /= size * s;
            double var = 0;
            for (int i = start; i < start + size; i++) {
                for (int k = 0; k < s; k++) {
                    double dev = x[(i * c + f) * s + k] - mean;
                    var += dev * dev;
                }
            }
            return new double[] {mean, var / (size * s)};
        }
    }

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(12345).updater(new NoOp())
                .weightInit(new NormalDistribution(0, 1));
    }

    private static INDArray oneHot(int rows, int classes) {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, rows, classes);
        for (int i = 0; i < rows; i++) {
            y.putScalar(i, i % classes, 1.0);
        }
        return y;
    }
}
