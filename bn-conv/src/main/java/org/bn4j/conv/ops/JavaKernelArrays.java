package org.bn4j.conv.ops;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The ND4J side of the Java SIMD kernels ({@link DirectConvOps}, {@link PointwiseConvOps}): their arrays as NIO
 * buffers, small parameter arrays as Java arrays, per-slice double sums added in slice order and written back, and
 * the check for the Vector API module.
 */
final class JavaKernelArrays {

    /** The JVM module of the Vector API. */
    static final String VECTOR_MODULE = "jdk.incubator.vector";

    static final boolean VECTOR_MODULE_PRESENT = ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();

    private JavaKernelArrays() {
    }

    static void requireVectorModule(String kernel) {
        if (!VECTOR_MODULE_PRESENT) {
            throw new IllegalStateException(kernel + " needs the JDK's Vector API: start the JVM with --add-modules "
                    + VECTOR_MODULE);
        }
    }

    /** The NIO view of a dense C-order FLOAT array's buffer (index = the array's offset + C-order index). */
    static FloatBuffer buffer(INDArray a, String kernel, String role) {
        if (a.dataType() != DataType.FLOAT || a.ordering() != 'c' || a.elementWiseStride() != 1) {
            throw new IllegalArgumentException(kernel + ": the " + role + " must be a dense C-order FLOAT array, got "
                    + a.dataType() + " of shape " + Arrays.toString(a.shape()) + " order " + a.ordering());
        }
        return a.data().asNioFloat();
    }

    /** A buffer index as an int (NIO buffers are int-indexed). */
    static int index(long at) {
        return Math.toIntExact(at);
    }

    /** The values of a (small) parameter array in C order. */
    static float[] values(INDArray a, String kernel, String role) {
        if (a.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException(kernel + ": the " + role + " must be FLOAT, got " + a.dataType());
        }
        return a.dup('c').data().asFloat();
    }

    /** The per-slice sums added in slice order (null when the slices computed none). */
    static double[] inSliceOrder(double[][] partial) {
        if (partial[0] == null) {
            return null;
        }
        double[] sum = partial[0].clone();
        for (int slice = 1; slice < partial.length; slice++) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += partial[slice][i];
            }
        }
        return sum;
    }

    /** {@code values} (C order) into {@code target}, which may be a view (DL4J's gradient views). */
    static void write(INDArray target, double[] values, String kernel, String role) {
        if (target.length() != values.length) {
            throw new IllegalArgumentException(kernel + ": the " + role + " has " + target.length()
                    + " values, expected " + values.length);
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        target.assign(Nd4j.createFromArray(f).reshape(target.shape()));
    }
}
