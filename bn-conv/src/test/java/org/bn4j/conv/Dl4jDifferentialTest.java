package org.bn4j.conv;

import org.bn4j.conv.layer.FastConvolutionLayer;
import org.bn4j.conv.testutil.ConvCase;
import org.bn4j.conv.testutil.NativeThreads;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast layer against DL4J's own ConvolutionLayer with identical parameters: output, dL/dx, dL/dW, dL/db, in
 * float and double, for every layout and ConvolutionMode with stride, padding, dilation, with and without bias;
 * and the inference output. The ops are forced, so that the second surefire run (libnd4j without oneDNN) checks
 * libnd4j's own float32 implementation too; libnd4j runs one thread, so that the 1x1 NHWC stride-1 cases take the
 * gemm path ({@code Conv2dKernel.POINTWISE_GEMM}).
 */
class Dl4jDifferentialTest {

    static final String[] CASES = {
            "NCHW Truncate k3x3 s1x1 p0x0 d1x1 bias relu 3x4x9x8 5",
            "NHWC Truncate k3x3 s1x1 p0x0 d1x1 bias relu 3x4x9x8 5",
            "NCHW Truncate k3x2 s2x1 p1x2 d1x1 nobias tanh 2x3x9x7 4",
            "NHWC Truncate k3x2 s2x1 p1x2 d1x1 nobias tanh 2x3x9x7 4",
            "NCHW Truncate k3x3 s2x2 p1x1 d2x2 bias identity 2x3x11x10 4",
            "NHWC Truncate k3x3 s2x2 p1x1 d2x2 bias identity 2x3x11x10 4",
            "NCHW Same k3x3 s1x1 p0x0 d1x1 bias relu 2x3x7x6 4",
            "NHWC Same k3x3 s1x1 p0x0 d1x1 bias relu 2x3x7x6 4",
            "NCHW Same k3x3 s2x2 p0x0 d1x1 nobias sigmoid 2x3x8x7 4",
            "NHWC Same k3x3 s2x2 p0x0 d1x1 nobias sigmoid 2x3x8x7 4",
            "NCHW Same k4x2 s3x2 p0x0 d1x2 bias identity 2x3x10x9 4",
            "NHWC Same k4x2 s3x2 p0x0 d1x2 bias identity 2x3x10x9 4",
            "NCHW Same k5x5 s2x2 p0x0 d2x1 bias relu 2x2x9x12 3",
            "NCHW Strict k3x3 s2x2 p1x1 d1x1 bias relu 2x3x9x9 4",
            "NHWC Strict k3x3 s2x2 p1x1 d1x1 bias relu 2x3x9x9 4",
            "NCHW Strict k1x1 s1x1 p0x0 d1x1 nobias identity 2x6x5x5 7",
            "NHWC Strict k1x1 s1x1 p0x0 d1x1 nobias identity 2x6x5x5 7",
            // 1x1: NHWC stride 1 unpadded takes the gemm path (Conv2dKernel.POINTWISE_GEMM); the others the ops
            "NHWC Same k1x1 s1x1 p0x0 d1x1 bias relu 3x5x6x7 4",
            "NHWC Truncate k1x1 s1x1 p0x0 d1x1 bias tanh 2x9x4x3 6",
            "NHWC Truncate k1x1 s1x1 p0x0 d1x1 nobias relu 1x3x1x1 2",
            "NCHW Same k1x1 s1x1 p0x0 d1x1 bias relu 3x5x6x7 4",
            "NHWC Truncate k1x1 s2x2 p1x1 d1x1 bias identity 2x4x7x6 3",
            "NHWC Same k1x1 s2x2 p0x0 d1x1 bias relu 2x4x7x6 3",
            // few input channels, NCHW, stride 1: the direct kernel (Conv2dKernel.DIRECT_FEW_CHANNELS) in float
            "NCHW Same k3x3 s1x1 p0x0 d1x1 nobias identity 4x1x28x28 16",
            "NCHW Truncate k5x3 s1x1 p2x1 d1x1 bias relu 2x2x9x10 3",
            "NCHW Truncate k2x2 s1x1 p0x0 d1x1 bias tanh 3x1x5x4 2",
    };

    static Stream<String> cases() {
        return Stream.of(CASES);
    }

    /** The ops even where the automatic choice would be DL4J's code (training on libnd4j without oneDNN). */
    private int threadsBefore;

    /** One native thread, so that the 1x1 NHWC cases take the gemm path (Conv2dKernel.select). */
    @BeforeEach
    void opsBackend() {
        ConvolutionBackend.force(ConvolutionBackend.OPS);
        ConvolutionThreads.force(threads());
        threadsBefore = NativeThreads.set(1);
    }

    @AfterEach
    void automaticBackend() {
        ConvolutionBackend.force(null);
        ConvolutionThreads.force(0);
        NativeThreads.set(threadsBefore);
    }

    /** Threads the batch is split over (1: not split; {@link Dl4jDifferentialSplitTest} splits it). */
    int threads() {
        return 1;
    }

    @ParameterizedTest(name = "float {0}")
    @MethodSource("cases")
    void floatMatchesDl4j(String spec) {
        compare(ConvCase.parse(spec), DataType.FLOAT, 2e-5);
    }

    @ParameterizedTest(name = "double {0}")
    @MethodSource("cases")
    void doubleMatchesDl4j(String spec) {
        compare(ConvCase.parse(spec), DataType.DOUBLE, 1e-12);
    }

    static void compare(ConvCase c, DataType dataType, double tolerance) {
        Nd4j.getRandom().setSeed(7);
        Layer fast = c.layer(true, dataType);
        Layer dl4j = c.layer(false, dataType);
        assertInstanceOf(FastConvolutionLayer.class, fast);
        dl4j.setParams(fast.params().dup());
        INDArray x = c.randomInput(dataType);
        Result expected = Result.of(dl4j, x);
        Result actual = Result.of(fast, x);
        Arrays.assertClose("output", expected.y, actual.y, tolerance);
        Arrays.assertClose("inference output", expected.inference, actual.inference, tolerance);
        Arrays.assertClose("dL/dx", expected.dx, actual.dx, tolerance);
        Arrays.assertClose("dL/dW", expected.dW, actual.dW, tolerance);
        if (c.bias()) {
            Arrays.assertClose("dL/db", expected.db, actual.db, tolerance);
        }
    }

    record Result(INDArray inference, INDArray y, INDArray dx, INDArray dW, INDArray db) {
        static Result of(Layer layer, INDArray x) {
            LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
            layer.setInput(x, ws);
            INDArray inference = layer.activate(false, ws).dup();
            INDArray y = layer.activate(true, ws).dup();
            Nd4j.getRandom().setSeed(99);
            INDArray dy = Nd4j.randn(y.dataType(), y.shape());
            Pair<Gradient, INDArray> p = layer.backpropGradient(dy, ws);
            INDArray db = p.getFirst().getGradientFor("b");
            return new Result(inference, y, p.getSecond().dup(), p.getFirst().getGradientFor("W").dup(),
                    db == null ? null : db.dup());
        }
    }

    /** Assertions on arrays. */
    static final class Arrays {
        static void assertClose(String what, INDArray expected, INDArray actual, double relTolerance) {
            assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
            assertEquals(expected.dataType(), actual.dataType(), what + " data type");
            double scale = Math.max(expected.amaxNumber().doubleValue(), 1e-30);
            double maxDiff = expected.sub(actual).amaxNumber().doubleValue();
            assertTrue(maxDiff <= relTolerance * scale, what + ": max |difference| " + maxDiff + " > "
                    + relTolerance + " x max |expected| " + scale);
        }
    }
}
