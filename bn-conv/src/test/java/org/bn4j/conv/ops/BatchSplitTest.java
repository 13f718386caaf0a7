package org.bn4j.conv.ops;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batch-split ops ({@link Conv2dOps} with a {@link BatchSplit}) against the unsplit ops: the forward output and
 * dL/dx per example, dL/dW and dL/db as sums over slices; the slicing arithmetic, the policy of when to split, and
 * that a failure in a worker thread reaches the caller.
 */
class BatchSplitTest {

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (CNN2DFormat format : CNN2DFormat.values()) {
            for (int n : new int[] {1, 3, 65}) {
                for (boolean bias : new boolean[] {true, false}) {
                    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
                        cases.add(Arguments.of(format, n, bias, type));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} batch {1} bias {2} {3}")
    @MethodSource("cases")
    void splitEqualsUnsplit(CNN2DFormat format, int n, boolean bias, DataType type) {
        Nd4j.getRandom().setSeed(42);
        int cIn = 5;
        int cOut = 7;
        long[] xShape = format == CNN2DFormat.NCHW ? new long[] {n, cIn, 9, 8} : new long[] {n, 9, 8, cIn};
        INDArray x = Nd4j.randn(type, xShape);
        INDArray w = Nd4j.randn(type, cOut, cIn, 3, 3);
        INDArray b = bias ? Nd4j.randn(type, 1, cOut) : null;
        Conv2dGeometry g = Conv2dGeometry.of(x, new int[] {3, 3}, new int[] {2, 1}, new int[] {1, 0},
                new int[] {1, 1}, ConvolutionMode.Truncate, format);
        long[] yShape = g.outputShape(n, cOut);
        INDArray dy = Nd4j.randn(type, yShape);

        INDArray y1 = Nd4j.create(type, yShape);
        INDArray dx1 = Nd4j.create(type, xShape);
        INDArray dw1 = Nd4j.create(type, w.shape());
        INDArray db1 = bias ? Nd4j.create(type, 1, cOut) : null;
        Conv2dOps.forward(x, w, b, g, y1);
        Conv2dOps.backward(x, w, b, dy, g, dx1, dw1, db1);

        for (int threads : new int[] {2, 3}) {
            BatchSplit split = BatchSplit.plan(n, threads, false, 1);
            assertEquals(Math.min(n, threads), split.slices());
            INDArray y = Nd4j.create(type, yShape);
            INDArray dx = Nd4j.create(type, xShape);
            INDArray dw = Nd4j.valueArrayOf(w.shape(), Double.NaN, type);    // every output must be overwritten
            INDArray db = bias ? Nd4j.valueArrayOf(new long[] {1, cOut}, Double.NaN, type) : null;
            INDArray dwScratch = Nd4j.valueArrayOf(new long[] {threads - 1, cOut, cIn, 3, 3}, Double.NaN, type);
            INDArray dbScratch = bias ? Nd4j.valueArrayOf(new long[] {threads - 1, cOut}, Double.NaN, type) : null;
            Conv2dOps.forward(x, w, b, g, y, split);
            Conv2dOps.backward(x, w, b, dy, g, dx, dw, db, split, dwScratch, dbScratch);
            String what = " (" + threads + " threads)";
            // per example: the same computation whichever slice it is in (float: oneDNN may block differently)
            double perExample = type == DataType.FLOAT ? 1e-6 : 1e-14;
            // summed over slices: summation order differs
            double summed = type == DataType.FLOAT ? 1e-5 : 1e-13;
            assertClose("y" + what, y1, y, perExample);
            assertClose("dL/dx" + what, dx1, dx, perExample);
            assertClose("dL/dW" + what, dw1, dw, summed);
            if (bias) {
                assertClose("dL/db" + what, db1, db, summed);
            }
        }
    }

    @Test
    void slicesCoverTheBatchEvenly() {
        BatchSplit split = new BatchSplit(65, 2);
        assertEquals(0, split.start(0));
        assertEquals(32, split.start(1));
        assertEquals(65, split.start(2));
        BatchSplit three = new BatchSplit(3, 3);
        assertEquals("examples [1, 2) of 3", three.describe(1));
        INDArray x = Nd4j.arange(65 * 2 * 2).reshape(65, 2, 2, 1);
        INDArray[] views = split.views(x);
        assertArrayEquals(new long[] {32, 2, 2, 1}, views[0].shape());
        assertArrayEquals(new long[] {33, 2, 2, 1}, views[1].shape());
        assertEquals(x.getDouble(32, 0, 0, 0), views[1].getDouble(0, 0, 0, 0));
        assertSame(x, new BatchSplit(65, 1).views(x)[0]);
        assertThrows(IllegalArgumentException.class, () -> new BatchSplit(1, 2));
        assertThrows(IllegalArgumentException.class, () -> split.views(Nd4j.create(64, 2, 2, 1)));
    }

    @Test
    void splitsOnlyWhereEachSliceHasEnoughWork() {
        long enough = BatchSplit.MIN_SLICE_MULTIPLY_ADDS;
        assertEquals(2, BatchSplit.plan(64, 2, true, enough / 32).slices());
        assertEquals(1, BatchSplit.plan(64, 2, true, enough / 32 - 1).slices(), "slices below the minimum");
        assertEquals(2, BatchSplit.plan(64, 4, true, enough / 32).slices(), "as many slices as pay");
        assertEquals(1, BatchSplit.plan(1, 2, true, enough * 10).slices(), "one example");
        assertEquals(1, BatchSplit.plan(64, 1, true, enough * 10).slices(), "one thread");
        assertEquals(2, BatchSplit.plan(2, 2, false, 1).slices(), "forced: any work");
        assertEquals(3, BatchSplit.plan(3, 8, false, 1).slices(), "at most one slice per example");
    }

    @Test
    void aFailingSliceIsNamedWithItsExamples() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 2, 5, 5);
        INDArray w = Nd4j.rand(DataType.FLOAT, 3, 2, 3, 3);
        Conv2dGeometry g = Conv2dGeometry.of(x, new int[] {3, 3}, new int[] {1, 1}, new int[] {0, 0},
                new int[] {1, 1}, ConvolutionMode.Truncate, CNN2DFormat.NCHW);
        INDArray wrongY = Nd4j.create(DataType.FLOAT, 4, 3, 2, 2);      // should be 3x3
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> Conv2dOps.forward(x, w, null, g, wrongY, new BatchSplit(4, 2)));
        assertTrue(e.getMessage().startsWith("conv2d on examples ["), e.getMessage());
    }

    private static void assertClose(String what, INDArray expected, INDArray actual, double relTolerance) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        double scale = Math.max(expected.amaxNumber().doubleValue(), 1e-30);
        double maxDiff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(maxDiff <= relTolerance * scale, what + ": max |difference| " + maxDiff + " > " + relTolerance
                + " x max |expected| " + scale);
    }
}
