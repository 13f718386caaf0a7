package org.bn4j.conv.ops;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which kernel computes a call ({@link Conv2dKernel#select}), and the pointwise gemm kernel ({@link NhwcPointwiseGemmOps})
 * against libnd4j's conv2d / conv2d_bp ops on the same arrays, writing its outputs into views. The layer-level
 * comparison with DL4J's ConvolutionLayer and the gradient checks are in Dl4jDifferentialTest and GradientCheckTest.
 */
class Conv2dKernelTest {

    private static Conv2dGeometry geometry(CNN2DFormat format, ConvolutionMode mode, int k, int s, int p, int d) {
        INDArray x = format == CNN2DFormat.NCHW ? Nd4j.zeros(DataType.FLOAT, 2, 3, 7, 6)
                : Nd4j.zeros(DataType.FLOAT, 2, 7, 6, 3);
        return Conv2dGeometry.of(x, new int[] {k, k}, new int[] {s, s}, new int[] {p, p}, new int[] {d, d}, mode,
                format);
    }

    @ParameterizedTest(name = "{0} {1} k{2} s{3} p{4} d{5}, one thread -> {6}")
    @CsvSource({
            "NHWC, Truncate, 1, 1, 0, 1, POINTWISE_GEMM",
            "NHWC, Same,     1, 1, 0, 1, POINTWISE_GEMM",
            "NHWC, Same,     1, 1, 3, 1, POINTWISE_GEMM",   // Same ignores the configured padding
            "NHWC, Strict,   1, 1, 0, 1, POINTWISE_GEMM",
            "NHWC, Truncate, 1, 1, 0, 2, POINTWISE_GEMM",   // dilation does not change a 1x1 convolution
            "NCHW, Truncate, 1, 1, 0, 1, CONV2D_OPS",       // per-example gemms measured no faster than oneDNN
            "NCHW, Same,     1, 1, 0, 1, CONV2D_OPS",
            "NHWC, Truncate, 1, 2, 0, 1, CONV2D_OPS",       // stride 2
            "NHWC, Truncate, 1, 1, 1, 1, CONV2D_OPS",       // padding
            "NHWC, Truncate, 1, 2, 1, 1, CONV2D_OPS",       // stride 2 and padding
            "NHWC, Same,     1, 2, 0, 1, CONV2D_OPS",
            "NHWC, Truncate, 3, 1, 0, 1, CONV2D_OPS",
            "NHWC, Same,     3, 1, 0, 1, CONV2D_OPS",
    })
    void selectsTheGemmOnlyForUnpaddedStride1PointwiseNhwc(CNN2DFormat format, ConvolutionMode mode, int k, int s,
                                                             int p, int d, Conv2dKernel expected) {
        assertEquals(expected, Conv2dKernel.select(geometry(format, mode, k, s, p, d), 1));
        assertEquals(Conv2dKernel.CONV2D_OPS, Conv2dKernel.select(geometry(format, mode, k, s, p, d), 2),
                "with 2 threads the gemm was not faster");
    }

    @ParameterizedTest(name = "{0} bias={1}")
    @CsvSource({"FLOAT, true", "FLOAT, false", "DOUBLE, true", "DOUBLE, false"})
    void gemmMatchesTheConv2dOps(DataType type, boolean bias) {
        Nd4j.getRandom().setSeed(3);
        int n = 3;
        int cIn = 5;
        int cOut = 4;
        INDArray x = Nd4j.randn(type, n, 6, 7, cIn);
        INDArray w = Nd4j.randn(type, cOut, cIn, 1, 1);
        INDArray b = bias ? Nd4j.randn(type, 1, cOut) : null;
        Conv2dGeometry g = Conv2dGeometry.of(x, new int[] {1, 1}, new int[] {1, 1}, new int[] {0, 0},
                new int[] {1, 1}, ConvolutionMode.Truncate, CNN2DFormat.NHWC);
        assertEquals(Conv2dKernel.POINTWISE_GEMM, Conv2dKernel.select(g, 1));
        INDArray dy = Nd4j.randn(type, g.outputShape(n, cOut));

        INDArray[] expected = run(Conv2dKernel.CONV2D_OPS, x, w, b, dy, g);
        INDArray[] actual = run(Conv2dKernel.POINTWISE_GEMM, x, w, b, dy, g);
        double tolerance = type == DataType.FLOAT ? 1e-5 : 1e-12;
        String[] names = {"y", "dL/dx", "dL/dW", "dL/db"};
        for (int i = 0; i < (bias ? 4 : 3); i++) {
            double scale = expected[i].amaxNumber().doubleValue();
            double diff = expected[i].sub(actual[i]).amaxNumber().doubleValue();
            assertTrue(diff <= tolerance * scale, names[i] + ": max |difference| " + diff + " vs scale " + scale);
        }
    }

    @ParameterizedTest(name = "Cin={0} Cout={1} {2}x{3} k{4}x{5} {6} p{7} d{8} bias={9}")
    @CsvSource({
            "1, 8, 9, 10, 3, 3, Same,     0, 1, true",
            "1, 8, 9, 10, 3, 3, Same,     0, 1, false",
            "1, 5, 8, 8,  3, 3, Truncate, 0, 1, true",
            "1, 5, 8, 8,  3, 3, Truncate, 1, 1, true",
            "1, 5, 8, 8,  3, 3, Truncate, 2, 1, true",     // padding wider than the kernel's reach
            "2, 3, 11, 7, 5, 5, Same,     0, 1, true",
            "3, 4, 9, 12, 1, 3, Same,     0, 1, true",
            "3, 4, 9, 12, 4, 2, Same,     0, 1, true",     // even kernel: Same pads one more at the bottom/right
            "4, 6, 10, 9, 3, 3, Same,     0, 2, true",     // dilation
            "2, 6, 12, 11, 3, 3, Truncate, 1, 2, false",
            "1, 7, 5, 5,  1, 1, Truncate, 0, 1, true",
            "1, 3, 6, 6,  7, 7, Same,     0, 1, true",     // kernel larger than the image
            "1, 3, 9, 9,  3, 3, Strict,   0, 1, true",
    })
    void directKernelMatchesTheConv2dOps(int cIn, int cOut, int h, int wIn, int kH, int kW, ConvolutionMode mode,
                                         int p, int d, boolean bias) {
        Nd4j.getRandom().setSeed(5);
        int n = 5;
        // the input and dL/dy as views at an offset of a larger array, as the layer may pass them
        INDArray x = Nd4j.randn(DataType.FLOAT, n + 1, cIn, h, wIn).get(NDArrayIndex.interval(1, n + 1),
                NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
        INDArray w = Nd4j.randn(DataType.FLOAT, cOut, cIn, kH, kW);
        INDArray b = bias ? Nd4j.randn(DataType.FLOAT, 1, cOut) : null;
        Conv2dGeometry g = Conv2dGeometry.of(x, new int[] {kH, kW}, new int[] {1, 1}, new int[] {p, p},
                new int[] {d, d}, mode, CNN2DFormat.NCHW);
        assertEquals(Conv2dKernel.DIRECT_FEW_CHANNELS, Conv2dKernel.select(g, cIn, DataType.FLOAT));
        long[] outShape = g.outputShape(n, cOut);
        INDArray dy = Nd4j.randn(DataType.FLOAT, new long[] {n + 2, outShape[1], outShape[2], outShape[3]})
                .get(NDArrayIndex.interval(2, n + 2), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());

        // reference: libnd4j's ops in double (its oneDNN float conv2d rejects dilation)
        INDArray[] expected = run(Conv2dKernel.CONV2D_OPS, x.castTo(DataType.DOUBLE), w.castTo(DataType.DOUBLE),
                b == null ? null : b.castTo(DataType.DOUBLE), dy.castTo(DataType.DOUBLE), g);
        for (int threads : new int[] {1, 2, 3}) {
            INDArray[] actual = runJava(x, w, b, dy, threads, (xx, ww, bb, yy, t) -> DirectConvOps.forward(xx, ww, bb,
                    g, yy, t), (xx, ww, gg, dxx, dww, dbb, t) -> DirectConvOps.backward(xx, ww, gg, g, dxx, dww, dbb,
                    t));
            assertClose(expected, actual, bias, threads);
        }
    }

    @ParameterizedTest(name = "Cin={0} Cout={1} {2}x{3} {4} bias={5}")
    @CsvSource({
            "32, 32, 16, 16, Same,     true",     // the benchmark shape, smaller batch
            "32, 32, 16, 16, Truncate, false",
            "5,  7,  3,  5,  Same,     true",     // channels and pixels that fill no register block
            "13, 6,  9,  9,  Strict,   true",
            "8,  12, 1,  1,  Truncate, true",
            "6,  3,  17, 3,  Same,     false",
    })
    void pointwiseKernelMatchesTheConv2dOps(int cIn, int cOut, int h, int wIn, ConvolutionMode mode, boolean bias) {
        Nd4j.getRandom().setSeed(6);
        int n = 5;
        INDArray x = Nd4j.randn(DataType.FLOAT, n + 1, cIn, h, wIn).get(NDArrayIndex.interval(1, n + 1),
                NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
        INDArray w = Nd4j.randn(DataType.FLOAT, cOut, cIn, 1, 1);
        INDArray b = bias ? Nd4j.randn(DataType.FLOAT, 1, cOut) : null;
        Conv2dGeometry g = Conv2dGeometry.of(x, new int[] {1, 1}, new int[] {1, 1}, new int[] {0, 0},
                new int[] {1, 1}, mode, CNN2DFormat.NCHW);
        assertEquals(cIn <= DirectConvOps.MAX_INPUT_CHANNELS ? Conv2dKernel.DIRECT_FEW_CHANNELS
                : Conv2dKernel.POINTWISE_NCHW, Conv2dKernel.select(g, cIn, DataType.FLOAT));
        INDArray dy = Nd4j.randn(DataType.FLOAT, new long[] {n + 2, cOut, h, wIn})
                .get(NDArrayIndex.interval(2, n + 2), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());

        INDArray[] expected = run(Conv2dKernel.CONV2D_OPS, x.castTo(DataType.DOUBLE), w.castTo(DataType.DOUBLE),
                b == null ? null : b.castTo(DataType.DOUBLE), dy.castTo(DataType.DOUBLE), g);
        for (int threads : new int[] {1, 2, 3}) {
            INDArray[] actual = runJava(x, w, b, dy, threads, (xx, ww, bb, yy, t) -> NchwPointwiseSimdOps.forward(xx, ww,
                    bb, yy, t), (xx, ww, gg, dxx, dww, dbb, t) -> NchwPointwiseSimdOps.backward(xx, ww, gg, dxx, dww,
                    dbb, t));
            assertClose(expected, actual, bias, threads);
        }
    }

    @Test
    void pointwiseKernelReadsAndWritesParametersInAnyLayoutAndReusesItsArraysAcrossSizes() {
        Nd4j.getRandom().setSeed(8);
        INDArray x = Nd4j.randn(DataType.FLOAT, 3, 9, 5, 5);
        INDArray w = Nd4j.randn(DataType.FLOAT, 6, 9, 1, 1);
        INDArray dy = Nd4j.randn(DataType.FLOAT, 3, 6, 5, 5);
        INDArray[] dense = pointwise(x, w, dy, Nd4j.create(DataType.FLOAT, 6, 9, 1, 1));
        // a bigger call first leaves longer reused arrays behind; the smaller call must not read their tails
        pointwise(Nd4j.randn(DataType.FLOAT, 2, 17, 6, 6), Nd4j.randn(DataType.FLOAT, 13, 17, 1, 1),
                Nd4j.randn(DataType.FLOAT, 2, 13, 6, 6), Nd4j.create(DataType.FLOAT, 13, 17, 1, 1));
        INDArray fOrderWeights = w.dup('f');
        INDArray fOrderGradient = Nd4j.create(DataType.FLOAT, new long[] {6, 9, 1, 1}, 'f');
        INDArray[] strided = pointwise(x, fOrderWeights, dy, fOrderGradient);
        for (int i = 0; i < dense.length; i++) {
            assertEquals(dense[i], strided[i], "output " + i);
        }
    }

    @Test
    void kernelsReadAndWriteDL4JParameterViewsInPlace() {
        INDArray flat = Nd4j.create(DataType.FLOAT, 1, 1000);
        assertTrue(JavaKernelArrays.dense(flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(3, 99))
                .reshape('c', 8, 12, 1, 1)), "a C-order weight view");
        assertTrue(JavaKernelArrays.dense(flat.get(NDArrayIndex.interval(0, 1), NDArrayIndex.interval(200, 208))),
                "a row vector view (ordering flag f)");
        assertTrue(!JavaKernelArrays.dense(Nd4j.create(DataType.FLOAT, new long[] {6, 9, 1, 1}, 'f')),
                "an F-order matrix");
        assertTrue(!JavaKernelArrays.dense(Nd4j.create(DataType.FLOAT, 5, 4).get(NDArrayIndex.all(),
                NDArrayIndex.point(1))), "a column of a C-order matrix");
    }

    private static INDArray[] pointwise(INDArray x, INDArray w, INDArray dy, INDArray dw) {
        INDArray y = Nd4j.create(DataType.FLOAT, dy.shape());
        INDArray dx = Nd4j.create(DataType.FLOAT, x.shape());
        INDArray db = Nd4j.create(DataType.FLOAT, 1, w.size(0));
        NchwPointwiseSimdOps.forward(x, w, db.add(1f), y, 1);
        NchwPointwiseSimdOps.backward(x, w, dy, dx, dw, db, 1);
        return new INDArray[] {y, dx, dw.dup('c'), db};
    }

    @Test
    void pointwiseKernelOnlyForUnpaddedStride1Nchw() {
        assertEquals(Conv2dKernel.POINTWISE_NCHW,
                Conv2dKernel.select(geometry(CNN2DFormat.NCHW, ConvolutionMode.Same, 1, 1, 0, 1), 5, DataType.FLOAT));
        assertEquals(Conv2dKernel.CONV2D_OPS, Conv2dKernel.select(
                geometry(CNN2DFormat.NCHW, ConvolutionMode.Truncate, 1, 1, 1, 1), 5, DataType.FLOAT));
        assertEquals(Conv2dKernel.CONV2D_OPS, Conv2dKernel.select(
                geometry(CNN2DFormat.NCHW, ConvolutionMode.Truncate, 1, 2, 0, 1), 5, DataType.FLOAT));
        assertEquals(Conv2dKernel.CONV2D_OPS, Conv2dKernel.select(
                geometry(CNN2DFormat.NCHW, ConvolutionMode.Same, 1, 1, 0, 1), 5, DataType.DOUBLE));
        assertEquals(Conv2dKernel.CONV2D_OPS, Conv2dKernel.select(
                geometry(CNN2DFormat.NCHW, ConvolutionMode.Same, 3, 1, 0, 1), 5, DataType.FLOAT));
    }

    private static void assertClose(INDArray[] expected, INDArray[] actual, boolean bias, int threads) {
        String[] names = {"y", "dL/dx", "dL/dW", "dL/db"};
        for (int i = 0; i < (bias ? 4 : 3); i++) {
            assertArrayEquals(expected[i].shape(), actual[i].shape(), names[i]);
            double scale = expected[i].amaxNumber().doubleValue();
            double diff = expected[i].sub(actual[i].castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
            assertTrue(diff <= 2e-5 * scale, names[i] + " (" + threads + " threads): max |difference| " + diff
                    + " vs scale " + scale);
        }
    }

    /** A Java kernel's forward: x, w, bias, y, threads. */
    private interface JavaForward {
        void run(INDArray x, INDArray w, INDArray b, INDArray y, int threads);
    }

    /** A Java kernel's backward: x, w, dy, dx, dw, db, threads. */
    private interface JavaBackward {
        void run(INDArray x, INDArray w, INDArray dy, INDArray dx, INDArray dw, INDArray db, int threads);
    }

    /** A Java kernel on {@code threads} threads, outputs written as in {@link #run}. */
    private static INDArray[] runJava(INDArray x, INDArray w, INDArray b, INDArray dy, int threads,
                                      JavaForward forward, JavaBackward backward) {
        long cOut = w.size(0);
        long weights = w.length();
        INDArray y = Nd4j.createUninitialized(x.dataType(), dy.shape());
        INDArray dx = Nd4j.valueArrayOf(x.shape(), Float.NaN, x.dataType());
        INDArray flat = Nd4j.valueArrayOf(new long[] {1, 3 + weights + cOut}, 42.0, x.dataType());
        INDArray dw = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(3, 3 + weights)).reshape('c', w.shape());
        INDArray db = b == null ? null : flat.get(NDArrayIndex.interval(0, 1),
                NDArrayIndex.interval(3 + weights, 3 + weights + cOut));
        forward.run(x, w, b, y, threads);
        backward.run(x, w, dy, dx, dw, db, threads);
        assertEquals(42.0, flat.getDouble(0, 2), 0.0, "written outside dL/dW");
        return new INDArray[] {y, dx, dw.dup(), db == null ? null : db.dup()};
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"NHWC, 1, FLOAT", "NCHW, 5, FLOAT", "NCHW, 1, DOUBLE"})
    void directKernelOnlyForFewFloatNchwChannelsAtStride1(CNN2DFormat format, int cIn, DataType type) {
        Conv2dGeometry g = geometry(format, ConvolutionMode.Same, 3, 1, 0, 1);
        assertEquals(Conv2dKernel.select(g), Conv2dKernel.select(g, cIn, type));
        Conv2dGeometry strided = geometry(CNN2DFormat.NCHW, ConvolutionMode.Same, 3, 2, 0, 1);
        assertEquals(Conv2dKernel.CONV2D_OPS, Conv2dKernel.select(strided, 1, DataType.FLOAT));
    }

    /** Runs both passes, with dL/dW and dL/db written into views at an offset of one flat vector (as in a layer). */
    private static INDArray[] run(Conv2dKernel kernel, INDArray x, INDArray w, INDArray b, INDArray dy,
                                  Conv2dGeometry g) {
        long cOut = w.size(0);
        INDArray y = Nd4j.createUninitialized(x.dataType(), dy.shape());
        INDArray dx = Nd4j.createUninitialized(x.dataType(), x.shape());
        long weights = w.length();
        INDArray flat = Nd4j.valueArrayOf(new long[] {1, 3 + weights + cOut}, 42.0, x.dataType());
        INDArray dw = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(3, 3 + weights)).reshape('c', w.shape());
        INDArray db = b == null ? null : flat.get(NDArrayIndex.interval(0, 1),
                NDArrayIndex.interval(3 + weights, 3 + weights + cOut));
        kernel.forward(x, w, b, g, y);
        kernel.backward(x, w, b, dy, g, dx, dw, db);
        assertEquals(42.0, flat.getDouble(0, 2), 0.0, "written outside dL/dW");
        return new INDArray[] {y, dx, dw.dup(), db == null ? null : db.dup()};
    }

    @Test
    void gemmRejectsAnOutputItCannotWriteInPlace() {
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 3, 3, 4);
        INDArray w = Nd4j.randn(DataType.FLOAT, 5, 4, 1, 1);
        INDArray yTransposed = Nd4j.create(DataType.FLOAT, new long[] {2, 3, 3, 5}, 'f');
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NhwcPointwiseGemmOps.forward(x, w, null, yTransposed));
        assertTrue(e.getMessage().contains("output"), e.getMessage());
    }
}
