package org.bn4j.testutil;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Element-wise comparisons of arrays with a relative-or-absolute tolerance and a readable failure message. */
public final class ArrayAssertions {

    private ArrayAssertions() {
    }

    /** Asserts equal shapes and |a − e| ≤ tol·max(1, |e|) for every element. */
    public static void assertClose(INDArray expected, INDArray actual, double tolerance) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        double[] e = expected.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
        double[] a = actual.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < e.length; i++) {
            double err = Math.abs(a[i] - e[i]) / Math.max(1.0, Math.abs(e[i]));
            if (!(err <= worst)) {
                worst = err;
                worstAt = i;
            }
        }
        if (!(worst <= tolerance)) {
            fail("arrays of shape " + Arrays.toString(expected.shape()) + " differ: worst relative error " + worst
                    + " > " + tolerance + " at flat index " + worstAt + " (expected " + e[worstAt] + ", got "
                    + a[worstAt] + ")");
        }
    }
}
