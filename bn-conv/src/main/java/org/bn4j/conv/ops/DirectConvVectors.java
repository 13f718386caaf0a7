package org.bn4j.conv.ops;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD loops of {@link DirectConvOps} for one example, on Java arrays laid out by {@link DirectConvPlanes}
 * (the JDK's Vector API, module {@code jdk.incubator.vector}: this class is loaded only when that module is
 * present, see {@link DirectConvOps#vectorModulePresent()}).
 *
 * <p>Index {@code i} runs over a padded plane of row stride {@code Wp}; tap {@code t = (ci, kh, kw)} is the shift
 * {@code s_t = ci·plane + kh·dH·Wp + kw·dW} of the padded input {@code xp}, and {@code s'_t = kh·dH·Wp + kw·dW} its
 * shift inside one channel's plane:
 * <pre>
 *   forward:  y[co][i]  = b[co] + Σ_t W[co,t] · xp[s_t + i]                  (4 output channels per pass)
 *   dL/dW:    dW[co,t] += Σ_i g[co][i] · xp[s_t + i]                         (3 taps per pass)
 *   dL/dx:    dxp[ci][i] = Σ_co Σ_{t of ci} W[co,t] · g[co][i − s'_t]        (a gather: no read-modify-write)
 * </pre>
 * where {@code g} is dL/dy at the same row stride, preceded by {@link DirectConvPlanes#front} zeros and with zero
 * scratch columns, so that reads before a row's start see zeros.
 */
final class DirectConvVectors {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Floats per vector. */
    static final int LENGTH = S.length();

    static final int OUT_BLOCK = 4;
    private static final int TAP_BLOCK = 3;

    private DirectConvVectors() {
    }


    /**
     * One example's output {@code y} in dense NCHW order: {@code y[co·OH·OW + oh·OW + ow]}.
     *
     * @param xp      the example's padded input planes
     * @param w       weights {@code [Cout][T]}, {@code T = Cin·kH·kW}
     * @param bias    bias per output channel, or null
     * @param partial scratch of {@code OUT_BLOCK} vectors for the rows' partial last vectors
     */
    static void forward(float[] xp, float[] w, float[] bias, DirectConvPlanes p, float[] y, float[] partial) {
        int[] shifts = p.shifts;
        int taps = shifts.length;
        int plane = p.outPlane;
        int tail = p.outW % LENGTH;
        int co = 0;
        for (; co + OUT_BLOCK <= p.cOut; co += OUT_BLOCK) {
            int w0 = co * taps;
            int w1 = w0 + taps;
            int w2 = w1 + taps;
            int w3 = w2 + taps;
            FloatVector b0 = FloatVector.broadcast(S, bias == null ? 0f : bias[co]);
            FloatVector b1 = FloatVector.broadcast(S, bias == null ? 0f : bias[co + 1]);
            FloatVector b2 = FloatVector.broadcast(S, bias == null ? 0f : bias[co + 2]);
            FloatVector b3 = FloatVector.broadcast(S, bias == null ? 0f : bias[co + 3]);
            for (int k = 0; k < p.vectors; k++) {
                int i = p.paddedAt[k];
                FloatVector a0 = b0;
                FloatVector a1 = b1;
                FloatVector a2 = b2;
                FloatVector a3 = b3;
                for (int t = 0; t < taps; t++) {
                    FloatVector x = FloatVector.fromArray(S, xp, shifts[t] + i);
                    a0 = x.fma(FloatVector.broadcast(S, w[w0 + t]), a0);
                    a1 = x.fma(FloatVector.broadcast(S, w[w1 + t]), a1);
                    a2 = x.fma(FloatVector.broadcast(S, w[w2 + t]), a2);
                    a3 = x.fma(FloatVector.broadcast(S, w[w3 + t]), a3);
                }
                int o = co * plane + p.denseAt[k];
                if (k < p.fullVectors) {
                    a0.intoArray(y, o);
                    a1.intoArray(y, o + plane);
                    a2.intoArray(y, o + 2 * plane);
                    a3.intoArray(y, o + 3 * plane);
                } else {
                    a0.intoArray(partial, 0);
                    a1.intoArray(partial, LENGTH);
                    a2.intoArray(partial, 2 * LENGTH);
                    a3.intoArray(partial, 3 * LENGTH);
                    for (int r = 0; r < OUT_BLOCK; r++) {
                        System.arraycopy(partial, r * LENGTH, y, o + r * plane, tail);
                    }
                }
            }
        }
        for (; co < p.cOut; co++) {
            int w0 = co * taps;
            FloatVector b0 = FloatVector.broadcast(S, bias == null ? 0f : bias[co]);
            for (int k = 0; k < p.vectors; k++) {
                int i = p.paddedAt[k];
                FloatVector a0 = b0;
                for (int t = 0; t < taps; t++) {
                    a0 = FloatVector.fromArray(S, xp, shifts[t] + i).fma(FloatVector.broadcast(S, w[w0 + t]), a0);
                }
                int o = co * plane + p.denseAt[k];
                if (k < p.fullVectors) {
                    a0.intoArray(y, o);
                } else {
                    a0.intoArray(partial, 0);
                    System.arraycopy(partial, 0, y, o, tail);
                }
            }
        }
    }

    /**
     * Adds one example's dL/dW into {@code dw[co·T + t]} and dL/db into {@code db[co]} (float sums over the plane,
     * added in double).
     *
     * @param g  the example's dL/dy in the padded layout of {@link #padGradient}
     * @param xp the example's padded input planes
     * @param db dL/db per output channel, or null without bias
     */
    static void weightGradient(float[] g, float[] xp, DirectConvPlanes p, double[] dw, double[] db) {
        int[] shifts = p.shifts;
        int taps = shifts.length;
        int span = p.span;
        for (int co = 0; co < p.cOut; co++) {
            int base = co * p.gPlane + p.front;
            if (db != null) {
                FloatVector sum = FloatVector.zero(S);
                for (int i = 0; i < span; i += LENGTH) {
                    sum = sum.add(FloatVector.fromArray(S, g, base + i));
                }
                db[co] += sum.reduceLanes(VectorOperators.ADD);
            }
            for (int t = 0; t < taps; t += TAP_BLOCK) {
                // a block past the last tap repeats the last tap's shift; its sums are dropped
                int s0 = shifts[t];
                int s1 = shifts[Math.min(t + 1, taps - 1)];
                int s2 = shifts[Math.min(t + 2, taps - 1)];
                FloatVector a0 = FloatVector.zero(S);
                FloatVector a1 = a0;
                FloatVector a2 = a0;
                for (int i = 0; i < span; i += LENGTH) {
                    // the padded plane: scratch columns, front and tail are zero and add nothing
                    FloatVector gv = FloatVector.fromArray(S, g, base + i);
                    a0 = gv.fma(FloatVector.fromArray(S, xp, s0 + i), a0);
                    a1 = gv.fma(FloatVector.fromArray(S, xp, s1 + i), a1);
                    a2 = gv.fma(FloatVector.fromArray(S, xp, s2 + i), a2);
                }
                int at = co * taps + t;
                dw[at] += a0.reduceLanes(VectorOperators.ADD);
                if (t + 1 < taps) {
                    dw[at + 1] += a1.reduceLanes(VectorOperators.ADD);
                }
                if (t + 2 < taps) {
                    dw[at + 2] += a2.reduceLanes(VectorOperators.ADD);
                }
            }
        }
    }

    /**
     * Copies one example's dense dL/dy into the padded layout that {@link #weightGradient} and
     * {@link #inputGradient} read: channel {@code co} at {@code co·gPlane + front}, row stride {@code Wp}. Only
     * output positions are written, so the rest of {@code padded} keeps its zeros.
     */
    static void padGradient(float[] g, DirectConvPlanes p, float[] padded) {
        int tail = p.outW % LENGTH;
        for (int co = 0; co < p.cOut; co++) {
            int from = co * p.outPlane;
            int to = co * p.gPlane + p.front;
            for (int k = 0; k < p.fullVectors; k++) {
                FloatVector.fromArray(S, g, from + p.denseAt[k]).intoArray(padded, to + p.paddedAt[k]);
            }
            for (int k = p.fullVectors; k < p.vectors; k++) {
                System.arraycopy(g, from + p.denseAt[k], padded, to + p.paddedAt[k], tail);
            }
        }
    }

    /**
     * One example's dL/dx on the padded planes: {@code dxp[ci·plane + i]} for {@code i < inSpan} (a multiple of two
     * vectors), as one flat loop over the {@code (co, kh, kw)} terms of each input channel.
     *
     * @param g       as in {@link #weightGradient}, its first plane's data at {@code front}
     * @param offsets {@code co·gPlane − s'_t} for every term {@code j = (co, kh, kw)}
     * @param weights {@code W[co, ci, kh, kw]} at {@code [ci][j]}
     */
    static void inputGradient(float[] g, int front, int[] offsets, float[][] weights, int plane, int inSpan,
                              float[] dxp) {
        int terms = offsets.length;
        for (int ci = 0; ci < weights.length; ci++) {
            float[] w = weights[ci];
            for (int i = 0; i < inSpan; i += 2 * LENGTH) {
                FloatVector a0 = FloatVector.zero(S);
                FloatVector a1 = a0;
                int base = front + i;
                for (int j = 0; j < terms; j++) {
                    int at = base + offsets[j];
                    FloatVector wv = FloatVector.broadcast(S, w[j]);
                    a0 = FloatVector.fromArray(S, g, at).fma(wv, a0);
                    a1 = FloatVector.fromArray(S, g, at + LENGTH).fma(wv, a1);
                }
                a0.intoArray(dxp, ci * plane + i);
                a1.intoArray(dxp, ci * plane + i + LENGTH);
            }
        }
    }
}
