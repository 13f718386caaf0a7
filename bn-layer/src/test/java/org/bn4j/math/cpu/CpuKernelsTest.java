package org.bn4j.math.cpu;

import org.bn4j.math.BatchNormKernels;
import org.bn4j.math.FeatureLayout;
import org.bn4j.math.Nd4jOpKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link CpuKernels} against the portable {@link Nd4jOpKernels} on every layout, data type and awkward size:
 * relative tolerance 1e-12 for double, 1e-5 for float (against the reference computed in double on the same
 * float values).
 */
class CpuKernelsTest {

    /** Plain arrays must never reach the fallback: this one fails the test if they do. */
    private static final BatchNormKernels CPU = new CpuKernels((BatchNormKernels) java.lang.reflect.Proxy
            .newProxyInstance(CpuKernelsTest.class.getClassLoader(), new Class<?>[] {BatchNormKernels.class},
                    (proxy, method, args) -> fail("unexpected fallback to ND4J ops: " + method.getName())));
    /** The same without fused passes (every NCHW case above fits a fused block of the default budget). */
    private static final BatchNormKernels CPU_UNFUSED = new CpuKernels((BatchNormKernels) java.lang.reflect.Proxy
            .newProxyInstance(CpuKernelsTest.class.getClassLoader(), new Class<?>[] {BatchNormKernels.class},
                    (proxy, method, args) -> fail("unexpected fallback to ND4J ops: " + method.getName())), 0);
    /** Fused passes with blocks of one channel (a budget of one channel's values of a [19, 5, 37, 41] array). */
    private static final BatchNormKernels CPU_ONE_CHANNEL_BLOCKS = new CpuKernels(new Nd4jOpKernels(),
            19L * 37 * 41 * Float.BYTES * 2);
    private static final BatchNormKernels CPU_WITH_FALLBACK = new CpuKernels();
    private static final BatchNormKernels REFERENCE = new Nd4jOpKernels();
    private static final double EPS = 1e-5;

    /**
     * Shapes: serial and parallel sizes (parallel from 2^17 values, {@link CpuGeometry#SERIAL_BELOW}), tile remainders, C = 1, tiny NCHW planes (handled as rows), planes longer
     * than 16 tiles (float lanes flushed inside a plane), channel blocks that do not divide C.
     */
    static Stream<Arguments> cases() {
        Object[][] shapes = {
                {FeatureLayout.DENSE, new long[] {37, 13}},
                {FeatureLayout.DENSE, new long[] {2001, 67}},
                {FeatureLayout.DENSE, new long[] {140000, 1}},
                {FeatureLayout.NCHW, new long[] {3, 5, 7, 9}},
                {FeatureLayout.NCHW, new long[] {19, 5, 37, 41}},
                {FeatureLayout.NCHW, new long[] {33, 1, 61, 67}},
                {FeatureLayout.NCHW, new long[] {1301, 7, 3, 5}},
                {FeatureLayout.NCHW, new long[] {4, 2, 131, 130}},
                {FeatureLayout.NCHW, new long[] {33, 19, 28, 28}},
                {FeatureLayout.NHWC, new long[] {2, 3, 5, 11}},
                {FeatureLayout.NHWC, new long[] {18, 17, 19, 23}},
                {FeatureLayout.NHWC, new long[] {27, 70, 71, 1}},
        };
        List<Arguments> cases = new ArrayList<>();
        for (Object[] shape : shapes) {
            for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
                for (boolean affine : new boolean[] {true, false}) {
                    cases.add(Arguments.of(shape[0], shape[1], type, affine));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} gamma/beta given: {3}")
    @MethodSource("cases")
    void trainingForwardMatchesNd4jOps(FeatureLayout layout, long[] shape, DataType type, boolean affine) {
        Nd4j.getRandom().setSeed(shape.length * 1000L + shape[0]);
        INDArray x = Nd4j.randn(type, shape).muli(3).addi(2);
        int c = (int) layout.features(x);
        INDArray gamma = affine ? Nd4j.rand(type, c).addi(0.5) : null;
        INDArray beta = affine ? Nd4j.randn(type, c) : null;

        Forward expected = forward(REFERENCE, exact(x), layout, exact(gamma), exact(beta));
        double tol = tolerance(type);
        for (BatchNormKernels kernels : List.of(CPU, CPU_UNFUSED, CPU_ONE_CHANNEL_BLOCKS)) {
            Forward actual = forward(kernels, x, layout, gamma, beta);
            assertClose("mean", expected.mean, actual.mean, tol);
            assertClose("variance", expected.variance, actual.variance, tol);
            assertClose("invStd", expected.invStd, actual.invStd, tol);
            assertClose("out", expected.out, actual.out, tol);
        }
    }

    @ParameterizedTest(name = "{0} {1} {2} gamma given: {3}")
    @MethodSource("cases")
    void backwardMatchesNd4jOps(FeatureLayout layout, long[] shape, DataType type, boolean affine) {
        Nd4j.getRandom().setSeed(shape.length * 2000L + shape[0]);
        INDArray x = Nd4j.randn(type, shape).muli(2).subi(1);
        INDArray dy = Nd4j.randn(type, shape);
        int c = (int) layout.features(x);
        INDArray gamma = affine ? Nd4j.rand(type, c).addi(0.5) : null;
        Forward stats = forward(REFERENCE, x, layout, gamma, null);
        INDArray invStd = org.nd4j.linalg.ops.transforms.Transforms.pow(stats.variance.add(EPS), -0.5, false);

        Backward expected = backward(REFERENCE, exact(x), exact(dy), layout, exact(stats.mean), exact(invStd),
                exact(gamma));
        double tol = tolerance(type);
        for (BatchNormKernels kernels : List.of(CPU, CPU_UNFUSED, CPU_ONE_CHANNEL_BLOCKS)) {
            Backward actual = backward(kernels, x, dy, layout, stats.mean, invStd, gamma);
            assertClose("dBeta", expected.dBeta, actual.dBeta, tol);
            assertClose("dGamma", expected.dGamma, actual.dGamma, tol);
            assertClose("dx", expected.dx, actual.dx, tol);
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void inferenceMatchesNd4jOps(FeatureLayout layout, long[] shape, DataType type, boolean affine) {
        Nd4j.getRandom().setSeed(shape.length * 3000L + shape[0]);
        INDArray x = Nd4j.randn(type, shape);
        int c = (int) layout.features(x);
        INDArray scale = Nd4j.randn(type, c);
        INDArray shift = affine ? Nd4j.randn(type, c) : Nd4j.zeros(type, c);
        INDArray expected = Nd4j.createUninitialized(type, shape);
        INDArray actual = Nd4j.createUninitialized(type, shape);
        REFERENCE.inference(x, layout, scale, shift, expected);
        if (type == DataType.FLOAT) {
            expected = expected.castTo(DataType.DOUBLE);
            REFERENCE.inference(exact(x), layout, exact(scale), exact(shift), expected);
        }
        CPU.inference(x, layout, scale, shift, actual);
        assertClose("out", expected, actual, tolerance(type));
    }

    @ParameterizedTest(name = "{0} {1} {2} shift given: {3}")
    @MethodSource("cases")
    void reluGradientMatchesInferenceThenReluBackprop(FeatureLayout layout, long[] shape, DataType type,
                                                      boolean affine) {
        Nd4j.getRandom().setSeed(shape.length * 4000L + shape[0]);
        INDArray x = Nd4j.randn(type, shape);
        INDArray dy = Nd4j.randn(type, shape);
        int c = (int) layout.features(x);
        INDArray scale = Nd4j.randn(type, c);
        INDArray shift = affine ? Nd4j.randn(type, c) : Nd4j.zeros(type, c);
        INDArray expected = Nd4j.createUninitialized(type, shape);
        INDArray actual = Nd4j.createUninitialized(type, shape);
        REFERENCE.reluGradient(x, dy, layout, scale, shift, expected);
        CPU.reluGradient(x, dy, layout, scale, shift, actual);
        // Each output is dy or 0 in both: equal unless a pre-activation rounds to the other side of 0 (none here).
        assertClose("out", expected, actual, 0.0);
        long kept = actual.neq(0).castTo(DataType.INT).sumNumber().longValue();
        assertTrue(kept > 0 && kept < x.length(), "the mask keeps some values and drops others: " + kept);
    }

    @Test
    void reluGradientTreatsZeroPreActivationAsInactiveLikeDl4j() {
        INDArray x = Nd4j.createFromArray(new double[][] {{-1, 0, 1}, {2, 0.5, -3}});
        INDArray dy = Nd4j.createFromArray(new double[][] {{10, 20, 30}, {40, 50, 60}});
        INDArray scale = Nd4j.createFromArray(1.0, 2.0, 1.0);
        INDArray shift = Nd4j.createFromArray(1.0, -1.0, 0.0);
        // pre-activation scale·x + shift = [[0, -1, 1], [3, 0, -3]]
        INDArray out = Nd4j.create(DataType.DOUBLE, 2, 3);
        CPU.reluGradient(x, dy, FeatureLayout.DENSE, scale, shift, out);
        assertEquals(Nd4j.createFromArray(new double[][] {{0, 0, 30}, {40, 0, 0}}), out);
        INDArray reference = Nd4j.create(DataType.DOUBLE, 2, 3);
        REFERENCE.reluGradient(x, dy, FeatureLayout.DENSE, scale, shift, reference);
        assertEquals(reference, out);
    }

    @Test
    void float32InputWithLargeMeanNormalizesToZeroMeanUnitStd() {
        // 10000 + N(0,1) in float32: the values carry only ~3 decimal digits of their deviation from the mean.
        Nd4j.getRandom().setSeed(7);
        long[] shape = {32, 4, 24, 24};
        INDArray x = Nd4j.randn(DataType.FLOAT, shape).addi(10000);
        Forward f = forward(CPU, x, FeatureLayout.NCHW, null, null);
        INDArray out = f.out.castTo(DataType.DOUBLE);
        INDArray xd = x.castTo(DataType.DOUBLE);
        for (int c = 0; c < shape[1]; c++) {
            INDArray channel = out.get(NDArrayIndex.all(), NDArrayIndex.point(c), NDArrayIndex.all(),
                    NDArrayIndex.all());
            double mean = channel.meanNumber().doubleValue();
            double std = Math.sqrt(channel.sub(mean).muli(channel.sub(mean)).meanNumber().doubleValue());
            assertEquals(0.0, mean, 0.01, "channel " + c + " output mean");
            assertEquals(1.0, std, 0.01, "channel " + c + " output std");

            INDArray input = xd.get(NDArrayIndex.all(), NDArrayIndex.point(c), NDArrayIndex.all(), NDArrayIndex.all());
            double mu = input.meanNumber().doubleValue();
            double var = input.sub(mu).muli(input.sub(mu)).meanNumber().doubleValue();
            assertEquals(mu, f.mean.getDouble(c), 1e-6 * 10000, "channel " + c + " batch mean");
            assertEquals(var, f.variance.getDouble(c), 1e-4 * var, "channel " + c + " batch variance");
        }
    }

    @Test
    void float32BackwardWithLargeMeanMatchesDoubleReference() {
        Nd4j.getRandom().setSeed(11);
        long[] shape = {64, 3000};
        INDArray x = Nd4j.randn(DataType.FLOAT, shape).addi(10000);
        INDArray dy = Nd4j.randn(DataType.FLOAT, shape);
        INDArray xd = x.castTo(DataType.DOUBLE);
        INDArray dyd = dy.castTo(DataType.DOUBLE);
        Forward stats = forward(REFERENCE, xd, FeatureLayout.DENSE, null, null);
        INDArray invStd = org.nd4j.linalg.ops.transforms.Transforms.pow(stats.variance.add(EPS), -0.5, false);
        Backward expected = backward(REFERENCE, xd, dyd, FeatureLayout.DENSE, stats.mean, invStd, null);
        Backward actual = backward(CPU, x, dy, FeatureLayout.DENSE, stats.mean.castTo(DataType.FLOAT),
                invStd.castTo(DataType.FLOAT), null);
        assertClose("dGamma", expected.dGamma, actual.dGamma.castTo(DataType.DOUBLE), 1e-3);
        assertClose("dx", expected.dx, actual.dx.castTo(DataType.DOUBLE), 1e-3);
    }

    @Test
    void viewsAndOtherOrdersFallBackToNd4jOpsWithTheSameResult() {
        Nd4j.getRandom().setSeed(5);
        INDArray big = Nd4j.randn(DataType.DOUBLE, 40, 6);
        INDArray view = big.get(NDArrayIndex.interval(3, 33), NDArrayIndex.all());
        INDArray fOrder = Nd4j.randn(DataType.DOUBLE, 30, 6).dup('f');
        assertFalse(CpuKernels.supports(view));
        assertFalse(CpuKernels.supports(fOrder));
        assertFalse(CpuKernels.supports(Nd4j.ones(DataType.HALF, 4, 2)));
        assertTrue(CpuKernels.supports(Nd4j.ones(DataType.FLOAT, 4, 2)));
        for (INDArray x : new INDArray[] {view, fOrder}) {
            Forward expected = forward(REFERENCE, x, FeatureLayout.DENSE, null, null);
            Forward actual = forward(CPU_WITH_FALLBACK, x, FeatureLayout.DENSE, null, null);
            assertClose("out", expected.out, actual.out, 1e-12);
        }
    }

    @Test
    void perFeatureViewsAreReadAndWrittenThroughTheirOffsets() {
        // DL4J hands γ, β and the gradients dγ, dβ as views into one flat parameter/gradient array.
        Nd4j.getRandom().setSeed(9);
        INDArray x = Nd4j.randn(DataType.FLOAT, 50, 8, 4, 4);
        INDArray dy = Nd4j.randn(DataType.FLOAT, 50, 8, 4, 4);
        INDArray params = Nd4j.rand(DataType.FLOAT, 1, 20);
        INDArray gamma = params.get(NDArrayIndex.point(0), NDArrayIndex.interval(2, 10));
        INDArray flatGrad = Nd4j.zeros(DataType.FLOAT, 1, 20);
        INDArray dGamma = flatGrad.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, 8));
        INDArray dBeta = flatGrad.get(NDArrayIndex.point(0), NDArrayIndex.interval(8, 16));
        Forward f = forward(CPU, x, FeatureLayout.NCHW, gamma, null);
        INDArray invStd = org.nd4j.linalg.ops.transforms.Transforms.pow(f.variance.add(EPS), -0.5, false);
        Backward expected = backward(REFERENCE, x, dy, FeatureLayout.NCHW, f.mean, invStd, gamma.dup());
        CPU.backward(x, dy, FeatureLayout.NCHW, f.mean, invStd, gamma, Nd4j.create(DataType.FLOAT, 50, 8, 4, 4),
                dGamma, dBeta);
        assertClose("dGamma", expected.dGamma, dGamma, 1e-5);
        assertClose("dBeta", expected.dBeta, dBeta, 1e-5);
        assertEquals(0.0, flatGrad.getDouble(0, 16), 0.0, "values after the views stay untouched");
        assertClose("out", forward(REFERENCE, x, FeatureLayout.NCHW, gamma.dup(), null).out, f.out, 1e-5);
    }

    @Test
    void fusedPassesEqualTheTwoSeparatePassesBitForBit() {
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(DataType.FLOAT, 9, 7, 33, 35).muli(2).addi(1);
        INDArray dy = Nd4j.randn(DataType.FLOAT, 9, 7, 33, 35);
        INDArray gamma = Nd4j.rand(DataType.FLOAT, 7).addi(0.5);
        INDArray beta = Nd4j.randn(DataType.FLOAT, 7);
        Forward fused = forward(CPU_ONE_CHANNEL_BLOCKS, x, FeatureLayout.NCHW, gamma, beta);
        Forward separate = forward(CPU_UNFUSED, x, FeatureLayout.NCHW, gamma, beta);
        assertClose("out", separate.out, fused.out, 0.0);
        assertClose("mean", separate.mean, fused.mean, 0.0);
        Backward fusedBack = backward(CPU_ONE_CHANNEL_BLOCKS, x, dy, FeatureLayout.NCHW, separate.mean,
                separate.invStd, gamma);
        Backward separateBack = backward(CPU_UNFUSED, x, dy, FeatureLayout.NCHW, separate.mean, separate.invStd,
                gamma);
        assertClose("dx", separateBack.dx, fusedBack.dx, 0.0);
        assertClose("dGamma", separateBack.dGamma, fusedBack.dGamma, 0.0);
    }

    @Test
    void inPlaceOutputEqualsSeparateOutput() {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.FLOAT, 16, 12, 20, 20);
        Forward separate = forward(CPU, x, FeatureLayout.NCHW, null, null);
        INDArray inPlace = x.dup();
        CPU.trainForward(inPlace, FeatureLayout.NCHW, null, null, EPS, inPlace, Nd4j.create(DataType.FLOAT, 12),
                Nd4j.create(DataType.FLOAT, 12), Nd4j.create(DataType.FLOAT, 12));
        assertClose("out", separate.out, inPlace, 0.0);
    }

    private static Forward forward(BatchNormKernels kernels, INDArray x, FeatureLayout layout, INDArray gamma,
                                   INDArray beta) {
        int c = (int) layout.features(x);
        Forward f = new Forward(Nd4j.createUninitialized(x.dataType(), x.shape(), 'c'),
                Nd4j.create(x.dataType(), c), Nd4j.create(x.dataType(), c), Nd4j.create(x.dataType(), c));
        kernels.trainForward(x, layout, gamma, beta, EPS, f.out, f.mean, f.variance, f.invStd);
        return f;
    }

    private static Backward backward(BatchNormKernels kernels, INDArray x, INDArray dy, FeatureLayout layout,
                                     INDArray mean, INDArray invStd, INDArray gamma) {
        int c = (int) layout.features(x);
        Backward b = new Backward(Nd4j.createUninitialized(x.dataType(), x.shape(), 'c'),
                Nd4j.create(x.dataType(), c), Nd4j.create(x.dataType(), c));
        kernels.backward(x, dy, layout, mean, invStd, gamma, b.dx, b.dGamma, b.dBeta);
        return b;
    }

    /**
     * The reference for float32 runs in double on the same float values: ND4J's own float32 reductions are off by
     * up to ~2e-5 relative on these sizes (e.g. a channel mean of 33·28·28 values: 1.996662 against the exact
     * 1.996626, which the CPU kernels give), so comparing float against float would test ND4J's rounding.
     */
    private static INDArray exact(INDArray a) {
        return a == null ? null : a.castTo(DataType.DOUBLE);
    }

    private static double tolerance(DataType type) {
        return type == DataType.DOUBLE ? 1e-12 : 1e-5;
    }

    /** |actual − expected| ≤ tol · max(1, max|expected|), element by element. */
    static void assertClose(String what, INDArray expected, INDArray actual, double tol) {
        assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()), what + " shape");
        double[] e = expected.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] a = actual.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double scale = 1.0;
        for (double v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(a[i] - e[i]) <= tol * scale)) {
                fail(what + "[" + i + "]: expected " + e[i] + ", got " + a[i] + " (tolerance " + tol * scale + ")");
            }
        }
    }

    private static final class Forward {
        final INDArray out;
        final INDArray mean;
        final INDArray variance;
        final INDArray invStd;

        Forward(INDArray out, INDArray mean, INDArray variance, INDArray invStd) {
            this.out = out;
            this.mean = mean;
            this.variance = variance;
            this.invStd = invStd;
        }
    }

    private static final class Backward {
        final INDArray dx;
        final INDArray dGamma;
        final INDArray dBeta;

        Backward(INDArray dx, INDArray dGamma, INDArray dBeta) {
            this.dx = dx;
            this.dGamma = dGamma;
            this.dBeta = dBeta;
        }
    }
}
