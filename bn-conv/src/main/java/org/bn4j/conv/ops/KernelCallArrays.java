package org.bn4j.conv.ops;

import java.util.Arrays;

/**
 * The calling thread's arrays for one call of a Java SIMD kernel ({@link DirectConvOps}, {@link NchwPointwiseSimdOps}):
 * the weights and bias read out of ND4J, the per-slice double sums of dL/dW and dL/db, and their totals. Grown as
 * needed and reused by the thread's next call, so that a training step does not allocate them again for every layer
 * (this VM's page faults made the garbage they left a measurable part of a step: docs/parallel.md).
 *
 * <p>NOTE: owned by the thread that calls the kernel, not by the slice workers: a worker may run another thread's
 * slice as soon as it has finished this one, while the caller still reads the sums its slices wrote here.
 */
final class KernelCallArrays {

    private static final ThreadLocal<KernelCallArrays> CURRENT = ThreadLocal.withInitial(KernelCallArrays::new);

    float[] weights = new float[0];
    float[] bias = new float[0];
    float[] transposed = new float[0];
    double[] weightSum = new double[0];
    double[] biasSum = new double[0];
    private double[][] weightPartial = new double[0][];
    private double[][] biasPartial = new double[0][];

    private KernelCallArrays() {
    }

    /** The calling thread's arrays. */
    static KernelCallArrays current() {
        return CURRENT.get();
    }

    /** {@code slices} zeroed rows of at least {@code length} values for the slices' weight-gradient sums. */
    double[][] weightPartial(int slices, int length) {
        weightPartial = zeroed(weightPartial, slices, length);
        return weightPartial;
    }

    /** {@code slices} zeroed rows of at least {@code length} values for the slices' bias-gradient sums. */
    double[][] biasPartial(int slices, int length) {
        biasPartial = zeroed(biasPartial, slices, length);
        return biasPartial;
    }

    static float[] atLeast(float[] a, int length) {
        return a.length >= length ? a : new float[length];
    }

    static double[] atLeast(double[] a, int length) {
        return a.length >= length ? a : new double[length];
    }

    private static double[][] zeroed(double[][] rows, int slices, int length) {
        if (rows.length < slices) {
            rows = Arrays.copyOf(rows, slices);
        }
        for (int s = 0; s < slices; s++) {
            if (rows[s] == null || rows[s].length < length) {
                rows[s] = new double[length];
            } else {
                Arrays.fill(rows[s], 0, length, 0.0);
            }
        }
        return rows;
    }
}
