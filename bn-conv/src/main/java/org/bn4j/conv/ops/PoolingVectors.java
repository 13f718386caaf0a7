package org.bn4j.conv.ops;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The forward passes of {@link PoolingOps} in the JDK's Vector API: for max pooling compare and blend, no branches
 * (with ReLU'd inputs, half the scalar comparisons mispredict); for average pooling sums,
 * and the adds of its backward. Winners are carried as float lanes ({@code kh·kW + kw} is exact in a float). Loaded only when the JVM has {@value JavaKernelArrays#VECTOR_MODULE}.
 */
final class PoolingVectors {

    // NOTE: the preferred species, as every other Vector API kernel of bn4j. A second float species in the same JVM
    // (8 lanes here while the convolution kernels use 16 on AVX-512) pollutes the type profiles of FloatVector's
    // shared methods, and C2 then stopped intrinsifying the pointwise convolution's stores: measured, the example's
    // training step ran 2.5x slower (docs/benchmarks/before-after-2026-12-07-s2.txt). Rows narrower than a vector
    // (14 and 7 on AVX-512) take the scalar loop.
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private PoolingVectors() {
    }

    /**
     * The stride-1 row pass of {@code count} outputs: {@code row[o + j] = max_kw xp[in + j + kw]}, the first winning
     * {@code kw} in {@code winner[o + j]}; returns how many outputs it computed: all of them when there are at
     * least a vector's worth (the last vector overlaps the one before; its outputs are computed again, equal), else
     * none.
     */
    static int maxRow(float[] xp, int in, int kW, float[] row, float[] winner, int o, int count) {
        int step = S.length();
        if (count < step) {
            return 0;
        }
        for (int j = 0; j < count; j = j + step < count && j + 2 * step > count ? count - step : j + step) {
            FloatVector m = FloatVector.fromArray(S, xp, in + j);
            FloatVector k = FloatVector.zero(S);
            for (int kw = 1; kw < kW; kw++) {
                FloatVector v = FloatVector.fromArray(S, xp, in + j + kw);
                VectorMask<Float> greater = v.compare(VectorOperators.GT, m);
                m = m.blend(v, greater);
                k = k.blend(kw, greater);
            }
            m.intoArray(row, o + j);
            k.intoArray(winner, o + j);
        }
        return count;
    }

    /**
     * The column pass of {@code count} outputs of one output row: the first of {@code kH} rows (each {@code ow}
     * apart from {@code first}) with the greatest value; its winner {@code kh·kW + rowWinner}. Returns how many
     * outputs it computed, as {@link #maxRow}.
     */
    static int maxColumn(float[] row, float[] rowWinner, int first, int ow, int kH, int kW, float[] out,
                         float[] winner, int o, int count) {
        int step = S.length();
        if (count < step) {
            return 0;
        }
        for (int j = 0; j < count; j = j + step < count && j + 2 * step > count ? count - step : j + step) {
            FloatVector m = FloatVector.fromArray(S, row, first + j);
            FloatVector k = FloatVector.fromArray(S, rowWinner, first + j);
            for (int kh = 1, r = first + ow; kh < kH; kh++, r += ow) {
                FloatVector v = FloatVector.fromArray(S, row, r + j);
                VectorMask<Float> greater = v.compare(VectorOperators.GT, m);
                m = m.blend(v, greater);
                k = k.blend(FloatVector.fromArray(S, rowWinner, r + j).add(kh * kW), greater);
            }
            m.intoArray(out, o + j);
            k.intoArray(winner, o + j);
        }
        return count;
    }

    /**
     * The stride-1 row pass of average pooling: {@code row[o + j] = Σ_kw xp[in + j + kw]}; returns as
     * {@link #maxRow}.
     */
    static int sumRow(float[] xp, int in, int kW, float[] row, int o, int count) {
        int step = S.length();
        if (count < step) {
            return 0;
        }
        for (int j = 0; j < count; j = j + step < count && j + 2 * step > count ? count - step : j + step) {
            FloatVector sum = FloatVector.fromArray(S, xp, in + j);
            for (int kw = 1; kw < kW; kw++) {
                sum = sum.add(FloatVector.fromArray(S, xp, in + j + kw));
            }
            sum.intoArray(row, o + j);
        }
        return count;
    }

    /**
     * The column pass of average pooling for one output row: {@code out[o + j] = scale[o + j] · Σ_kh row[first +
     * kh·ow + j]}; returns as {@link #maxRow}.
     */
    static int sumColumn(float[] row, int first, int ow, int kH, float[] scale, float[] out, int o, int count) {
        int step = S.length();
        if (count < step) {
            return 0;
        }
        for (int j = 0; j < count; j = j + step < count && j + 2 * step > count ? count - step : j + step) {
            FloatVector sum = FloatVector.fromArray(S, row, first + j);
            for (int kh = 1, r = first + ow; kh < kH; kh++, r += ow) {
                sum = sum.add(FloatVector.fromArray(S, row, r + j));
            }
            sum.mul(FloatVector.fromArray(S, scale, o + j)).intoArray(out, o + j);
        }
        return count;
    }

    /**
     * {@code dst[d + j] += src[s + j]} for the first {@code j} of {@code count} that fill whole vectors; returns that
     * {@code j} (the caller adds the rest: an add cannot overlap).
     */
    static int addInto(float[] dst, int d, float[] src, int s, int count) {
        int j = 0;
        for (int bound = S.loopBound(count); j < bound; j += S.length()) {
            FloatVector.fromArray(S, dst, d + j).add(FloatVector.fromArray(S, src, s + j)).intoArray(dst, d + j);
        }
        return j;
    }
}
