package org.bn4j.math.cpu;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * {@link CpuTiles} for FLOAT arrays: values and per-lane parameters as {@code float}; lane sums in two float levels
 * and then in {@code double}: the loops add into level-1 float lanes, which {@link #flush} adds into level-2 float
 * lanes every {@link CpuPasses#FLUSH_EVERY} segments, and every {@code FLUSH_EVERY} flushes the level-2 lanes go
 * into the double lanes ({@link #finish} at the end of a task).
 *
 * <p>NOTE: each float sum has at most 16 terms (a level-1 lane: 16 values {@code x − K}, already centred by the
 * channel's first value K; a level-2 lane: 16 level-1 sums), so a lane's error before it reaches double is about
 * 2·16·2⁻²⁴ relative to the sum of its terms' magnitudes, far below the float32 resolution of the inputs; the long
 * sums over {@code m = N·H·W} values are all in double. Accumulating every element in double halves the SIMD width
 * (float→double conversions), which slows the statistics pass (a one-off development timing, not a committed
 * benchmark). NOTE: the level-2 lanes exist because a float→double flush is scalar in C2 (JDK 17): flushing every
 * 16 segments into double took about a quarter of a training forward and backward of a [32, 64, 56, 56] layer
 * (JFR of {@code BatchNormBenchmark}, docs/benchmarks/kernel-pass-times-2026-12-07-s4.txt); the float-to-float
 * flush vectorizes.
 */
final class CpuFloatTiles extends CpuTiles {

    private float[] t = new float[0];
    private float[] u = new float[0];
    private float[] pa = new float[0];
    private float[] pb = new float[0];
    private float[] pc = new float[0];
    private float[] pd = new float[0];
    private float qa;
    private float qb;
    private float qc;
    private float qd;
    private float[][] f1 = new float[0][0];
    private float[][] f2 = new float[0][0];
    private float[][] h1 = new float[0][0];
    private float[][] h2 = new float[0][0];
    /** Level-1 flushes held in the level-2 lanes since they last went into double. */
    private int pendingFlushes;

    @Override
    protected void grow(int blocks, int lanes) {
        t = new float[lanes];
        u = new float[lanes];
        pa = new float[lanes];
        pb = new float[lanes];
        pc = new float[lanes];
        pd = new float[lanes];
        f1 = new float[blocks][lanes];
        f2 = new float[blocks][lanes];
        h1 = new float[blocks][lanes];
        h2 = new float[blocks][lanes];
    }

    @Override
    void setParams(int lane, double a, double b, double c, double d) {
        uniform = false;
        pa[lane] = (float) a;
        pb[lane] = (float) b;
        pc[lane] = (float) c;
        pd[lane] = (float) d;
    }

    @Override
    void fillParams(double a, double b, double c, double d) {
        uniform = true;
        qa = (float) a;
        qb = (float) b;
        qc = (float) c;
        qd = (float) d;
    }

    @Override
    void clearLanes(int blocks, int n) {
        super.clearLanes(blocks, n);
        for (int b = 0; b < blocks; b++) {
            Arrays.fill(f1[b], 0, n, 0f);
            Arrays.fill(f2[b], 0, n, 0f);
            Arrays.fill(h1[b], 0, n, 0f);
            Arrays.fill(h2[b], 0, n, 0f);
        }
        pendingFlushes = 0;
    }

    @Override
    void flush(int blocks, int n) {
        for (int b = 0; b < blocks; b++) {
            addAndClear(f1[b], h1[b], n);
            addAndClear(f2[b], h2[b], n);
        }
        if (++pendingFlushes == CpuPasses.FLUSH_EVERY) {
            flushToDouble(blocks, n);
        }
    }

    @Override
    void finish(int blocks, int n) {
        flush(blocks, n);
        flushToDouble(blocks, n);
    }

    private void flushToDouble(int blocks, int n) {
        for (int b = 0; b < blocks; b++) {
            double[] s1 = d1[b];
            double[] s2 = d2[b];
            float[] g1 = h1[b];
            float[] g2 = h2[b];
            for (int i = 0; i < n; i++) {
                s1[i] += g1[i];
                s2[i] += g2[i];
            }
            Arrays.fill(g1, 0, n, 0f);
            Arrays.fill(g2, 0, n, 0f);
        }
        pendingFlushes = 0;
    }

    /** {@code to += from}, then {@code from = 0}, over the first {@code n} lanes (a loop C2 vectorizes). */
    private static void addAndClear(float[] from, float[] to, int n) {
        for (int i = 0; i < n; i++) {
            to[i] += from[i];
        }
        Arrays.fill(from, 0, n, 0f);
    }

    @Override
    void moments(int pos, int n, int block) {
        ((FloatBuffer) x).get(pos, t, 0, n);
        float[] v = t;
        float[] s1 = f1[block];
        float[] s2 = f2[block];
        if (uniform) {
            float a = qa;
            for (int i = 0; i < n; i++) {
                float centred = v[i] - a;
                s1[i] += centred;
                s2[i] += centred * centred;
            }
        } else {
            float[] a = pa;
            for (int i = 0; i < n; i++) {
                float centred = v[i] - a[i];
                s1[i] += centred;
                s2[i] += centred * centred;
            }
        }
    }

    @Override
    void gradientSums(int pos, int n, int block) {
        ((FloatBuffer) x).get(pos, t, 0, n);
        ((FloatBuffer) y).get(pos, u, 0, n);
        float[] v = t;
        float[] g = u;
        float[] s1 = f1[block];
        float[] s2 = f2[block];
        if (uniform) {
            float a = qa;
            for (int i = 0; i < n; i++) {
                s1[i] += g[i];
                s2[i] += g[i] * (v[i] - a);
            }
        } else {
            float[] a = pa;
            for (int i = 0; i < n; i++) {
                s1[i] += g[i];
                s2[i] += g[i] * (v[i] - a[i]);
            }
        }
    }

    @Override
    void affine(int pos, int n) {
        ((FloatBuffer) x).get(pos, t, 0, n);
        float[] v = t;
        if (uniform) {
            float a = qa;
            float b = qb;
            float c = qc;
            for (int i = 0; i < n; i++) {
                v[i] = (v[i] - a) * b + c;
            }
        } else {
            float[] a = pa;
            float[] b = pb;
            float[] c = pc;
            for (int i = 0; i < n; i++) {
                v[i] = (v[i] - a[i]) * b[i] + c[i];
            }
        }
        ((FloatBuffer) out).put(pos, v, 0, n);
    }

    @Override
    void gradientMap(int pos, int n) {
        ((FloatBuffer) x).get(pos, t, 0, n);
        ((FloatBuffer) y).get(pos, u, 0, n);
        float[] v = t;
        float[] g = u;
        if (uniform) {
            float a = qa;
            float b = qb;
            float c = qc;
            float d = qd;
            for (int i = 0; i < n; i++) {
                v[i] = g[i] * b + (v[i] - a) * c + d;
            }
        } else {
            float[] a = pa;
            float[] b = pb;
            float[] c = pc;
            float[] d = pd;
            for (int i = 0; i < n; i++) {
                v[i] = g[i] * b[i] + (v[i] - a[i]) * c[i] + d[i];
            }
        }
        ((FloatBuffer) out).put(pos, v, 0, n);
    }

    @Override
    void reluGradient(int pos, int n) {
        ((FloatBuffer) x).get(pos, t, 0, n);
        ((FloatBuffer) y).get(pos, u, 0, n);
        float[] v = t;
        float[] g = u;
        if (uniform) {
            float a = qa;
            float b = qb;
            float c = qc;
            for (int i = 0; i < n; i++) {
                v[i] = Float.intBitsToFloat(Float.floatToRawIntBits(g[i]) & positiveMask((v[i] - a) * b + c));
            }
        } else {
            float[] a = pa;
            float[] b = pb;
            float[] c = pc;
            for (int i = 0; i < n; i++) {
                v[i] = Float.intBitsToFloat(Float.floatToRawIntBits(g[i])
                        & positiveMask((v[i] - a[i]) * b[i] + c[i]));
            }
        }
        ((FloatBuffer) out).put(pos, v, 0, n);
    }

    /**
     * All ones where {@code z > 0}, else zero (−0, +0, negative values and NaN give zero), without a branch.
     * NOTE: {@code z > 0 ? g : 0} compiles to a branch that a ReLU mask mispredicts about half the time; the bit test
     * does not branch. In a one-off development run the branching loop took about ten times the affine pass on a
     * [64, 32, 14, 14] array; the bit test takes about four times (bn-benchmarks {@code KernelPassTimes},
     * docs/benchmarks/kernel-pass-times-2026-12-07.txt), still scalar: C2 does not vectorize it.
     */
    private static int positiveMask(float z) {
        int bits = Float.floatToRawIntBits(z);
        // bits > 0 as a signed int is z > +0 or a positive NaN; the NaN payloads (bits > 0x7f800000) are excluded
        return ((0 - bits) & (bits - 0x7f800001)) >> 31;
    }
}
