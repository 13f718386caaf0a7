package org.bn4j.math.cpu;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Per-feature vectors (γ, β, μ, 1/σ, dγ, dβ: C values each) to and from {@code double[]} for {@link CpuKernels}.
 * Plain arrays are read and written through their NIO buffer; views (DL4J's parameter and gradient views into
 * one flat array) go through ND4J ({@code dup}, {@code assign}), which respects offsets and strides.
 */
final class CpuVectors {

    private CpuVectors() {
    }

    /** The values of {@code v} in order, or null when {@code v} is null. */
    static double[] read(INDArray v) {
        if (v == null) {
            return null;
        }
        int n = Math.toIntExact(v.length());
        double[] values = new double[n];
        if (isPlain(v) && v.dataType() == DataType.FLOAT) {
            FloatBuffer buffer = v.data().asNioFloat();
            for (int i = 0; i < n; i++) {
                values[i] = buffer.get(i);
            }
        } else if (isPlain(v) && v.dataType() == DataType.DOUBLE) {
            v.data().asNioDouble().get(0, values, 0, n);
        } else {
            DoubleBuffer copy = v.castTo(DataType.DOUBLE).dup('c').data().asNioDouble();
            copy.get(0, values, 0, n);
        }
        return values;
    }

    /** Writes {@code values} into {@code v} (same length), converting to its data type. */
    static void write(INDArray v, double[] values) {
        if (v.length() != values.length) {
            throw new IllegalArgumentException("expected " + values.length + " values, array has " + v.length());
        }
        if (isPlain(v) && v.dataType() == DataType.FLOAT) {
            FloatBuffer buffer = v.data().asNioFloat();
            for (int i = 0; i < values.length; i++) {
                buffer.put(i, (float) values[i]);
            }
        } else if (isPlain(v) && v.dataType() == DataType.DOUBLE) {
            v.data().asNioDouble().put(0, values, 0, values.length);
        } else {
            v.assign(Nd4j.createFromArray(values).castTo(v.dataType()).reshape(v.shape()));
        }
    }

    private static boolean isPlain(INDArray v) {
        return !v.isView() && v.offset() == 0 && v.ordering() == 'c' && v.elementWiseStride() == 1;
    }
}
