package org.bn4j.conv.ops;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The ND4J side of the Java SIMD kernels ({@link DirectConvOps}, {@link NchwPointwiseSimdOps}): their arrays as NIO
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

    /**
     * The values of a (small) parameter array in C order, in {@code into} when it is long enough (else in a new
     * array); the array returned may be longer than {@code a}.
     */
    static float[] values(INDArray a, String kernel, String role, float[] into) {
        if (a.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException(kernel + ": the " + role + " must be FLOAT, got " + a.dataType());
        }
        int length = Math.toIntExact(a.length());
        float[] values = KernelCallArrays.atLeast(into, length);
        if (dense(a)) {
            a.data().asNioFloat().get(index(a.offset()), values, 0, length);
        } else {
            System.arraycopy(a.dup('c').data().asFloat(), 0, values, 0, length);
        }
        return values;
    }

    /**
     * The first {@code length} values of the per-slice sums added in slice order, in {@code into} when it is long
     * enough (else in a new array).
     */
    static double[] inSliceOrder(double[][] partial, int slices, int length, double[] into) {
        double[] sum = KernelCallArrays.atLeast(into, length);
        System.arraycopy(partial[0], 0, sum, 0, length);
        for (int slice = 1; slice < slices; slice++) {
            double[] p = partial[slice];
            for (int i = 0; i < length; i++) {
                sum[i] += p[i];
            }
        }
        return sum;
    }

    /**
     * The first {@code target.length()} of {@code values} (C order) into {@code target}, which may be a view
     * (DL4J's gradient views): straight into its buffer when it is a dense C-order FLOAT array.
     */
    static void write(INDArray target, double[] values, String kernel, String role) {
        int length = Math.toIntExact(target.length());
        if (values.length < length) {
            throw new IllegalArgumentException(kernel + ": the " + role + " has " + length
                    + " values, got " + values.length);
        }
        if (target.dataType() == DataType.FLOAT && dense(target)) {
            FloatBuffer out = target.data().asNioFloat();
            int base = index(target.offset());
            for (int i = 0; i < length; i++) {
                out.put(base + i, (float) values[i]);
            }
            return;
        }
        float[] f = new float[length];
        for (int i = 0; i < length; i++) {
            f[i] = (float) values[i];
        }
        target.assign(Nd4j.createFromArray(f).reshape(target.shape()));
    }

    /**
     * Whether {@code a}'s values are its buffer's {@code length} values from its offset, in C order: every dimension
     * longer than 1 has the C-order stride (DL4J's parameter and gradient views are such arrays, whatever their
     * ordering flag and view flag say).
     */
    static boolean dense(INDArray a) {
        long[] shape = a.shape();
        long[] stride = a.stride();
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }
}
