package org.bn4j.conv.ops;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD loops of {@link NchwPointwiseSimdOps} for one example, on row-major Java arrays whose rows (channels) are
 * {@code stride} values apart, {@code stride} a multiple of the vector length (the JDK's Vector API; loaded only
 * when the module is present, see {@link DirectConvOps#vectorModulePresent()}).
 *
 * <p>{@link #product} is a register-blocked matrix product: a block of 4 output rows × 4 vectors of pixels stays in
 * 16 vector registers while the input rows stream past, so each loaded vector feeds 4 multiply-adds and each
 * broadcast weight 4.
 */
final class NchwPointwiseSimdVectors {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Floats per vector. */
    static final int LENGTH = S.length();

    private static final int ROWS = 4;
    private static final int COLUMNS = 4 * LENGTH;

    private NchwPointwiseSimdVectors() {
    }

    /**
     * {@code out[o·stride + p] = bias[o] + Σ_i w[o·nIn + i] · in[i·stride + p]} for {@code o < nOut},
     * {@code p < stride}: the forward ({@code w = W}, {@code in = x}) and dL/dx ({@code w = Wᵀ}, {@code in = dy}).
     *
     * @param bias per output row, or null for none
     */
    static void product(float[] in, float[] w, float[] bias, int nIn, int nOut, int stride, float[] out) {
        int o = 0;
        for (; o + ROWS <= nOut; o += ROWS) {
            int p = 0;
            for (; p + COLUMNS <= stride; p += COLUMNS) {
                block4x4(in, w, bias, nIn, o, p, stride, out);
            }
            for (; p < stride; p += LENGTH) {
                block4x1(in, w, bias, nIn, o, p, stride, out);
            }
        }
        for (; o < nOut; o++) {
            int w0 = o * nIn;
            FloatVector b0 = FloatVector.broadcast(S, bias == null ? 0f : bias[o]);
            for (int p = 0; p < stride; p += LENGTH) {
                FloatVector a = b0;
                for (int i = 0; i < nIn; i++) {
                    a = FloatVector.fromArray(S, in, i * stride + p).fma(FloatVector.broadcast(S, w[w0 + i]), a);
                }
                a.intoArray(out, o * stride + p);
            }
        }
    }

    private static void block4x4(float[] in, float[] w, float[] bias, int nIn, int o, int p, int stride,
                                 float[] out) {
        FloatVector b0 = FloatVector.broadcast(S, bias == null ? 0f : bias[o]);
        FloatVector b1 = FloatVector.broadcast(S, bias == null ? 0f : bias[o + 1]);
        FloatVector b2 = FloatVector.broadcast(S, bias == null ? 0f : bias[o + 2]);
        FloatVector b3 = FloatVector.broadcast(S, bias == null ? 0f : bias[o + 3]);
        FloatVector a00 = b0;
        FloatVector a01 = b0;
        FloatVector a02 = b0;
        FloatVector a03 = b0;
        FloatVector a10 = b1;
        FloatVector a11 = b1;
        FloatVector a12 = b1;
        FloatVector a13 = b1;
        FloatVector a20 = b2;
        FloatVector a21 = b2;
        FloatVector a22 = b2;
        FloatVector a23 = b2;
        FloatVector a30 = b3;
        FloatVector a31 = b3;
        FloatVector a32 = b3;
        FloatVector a33 = b3;
        int w0 = o * nIn;
        for (int i = 0; i < nIn; i++) {
            int at = i * stride + p;
            FloatVector x0 = FloatVector.fromArray(S, in, at);
            FloatVector x1 = FloatVector.fromArray(S, in, at + LENGTH);
            FloatVector x2 = FloatVector.fromArray(S, in, at + 2 * LENGTH);
            FloatVector x3 = FloatVector.fromArray(S, in, at + 3 * LENGTH);
            FloatVector v0 = FloatVector.broadcast(S, w[w0 + i]);
            FloatVector v1 = FloatVector.broadcast(S, w[w0 + nIn + i]);
            FloatVector v2 = FloatVector.broadcast(S, w[w0 + 2 * nIn + i]);
            FloatVector v3 = FloatVector.broadcast(S, w[w0 + 3 * nIn + i]);
            a00 = x0.fma(v0, a00);
            a01 = x1.fma(v0, a01);
            a02 = x2.fma(v0, a02);
            a03 = x3.fma(v0, a03);
            a10 = x0.fma(v1, a10);
            a11 = x1.fma(v1, a11);
            a12 = x2.fma(v1, a12);
            a13 = x3.fma(v1, a13);
            a20 = x0.fma(v2, a20);
            a21 = x1.fma(v2, a21);
            a22 = x2.fma(v2, a22);
            a23 = x3.fma(v2, a23);
            a30 = x0.fma(v3, a30);
            a31 = x1.fma(v3, a31);
            a32 = x2.fma(v3, a32);
            a33 = x3.fma(v3, a33);
        }
        int at = o * stride + p;
        a00.intoArray(out, at);
        a01.intoArray(out, at + LENGTH);
        a02.intoArray(out, at + 2 * LENGTH);
        a03.intoArray(out, at + 3 * LENGTH);
        at += stride;
        a10.intoArray(out, at);
        a11.intoArray(out, at + LENGTH);
        a12.intoArray(out, at + 2 * LENGTH);
        a13.intoArray(out, at + 3 * LENGTH);
        at += stride;
        a20.intoArray(out, at);
        a21.intoArray(out, at + LENGTH);
        a22.intoArray(out, at + 2 * LENGTH);
        a23.intoArray(out, at + 3 * LENGTH);
        at += stride;
        a30.intoArray(out, at);
        a31.intoArray(out, at + LENGTH);
        a32.intoArray(out, at + 2 * LENGTH);
        a33.intoArray(out, at + 3 * LENGTH);
    }

    private static void block4x1(float[] in, float[] w, float[] bias, int nIn, int o, int p, int stride,
                                 float[] out) {
        FloatVector a0 = FloatVector.broadcast(S, bias == null ? 0f : bias[o]);
        FloatVector a1 = FloatVector.broadcast(S, bias == null ? 0f : bias[o + 1]);
        FloatVector a2 = FloatVector.broadcast(S, bias == null ? 0f : bias[o + 2]);
        FloatVector a3 = FloatVector.broadcast(S, bias == null ? 0f : bias[o + 3]);
        int w0 = o * nIn;
        for (int i = 0; i < nIn; i++) {
            FloatVector x = FloatVector.fromArray(S, in, i * stride + p);
            a0 = x.fma(FloatVector.broadcast(S, w[w0 + i]), a0);
            a1 = x.fma(FloatVector.broadcast(S, w[w0 + nIn + i]), a1);
            a2 = x.fma(FloatVector.broadcast(S, w[w0 + 2 * nIn + i]), a2);
            a3 = x.fma(FloatVector.broadcast(S, w[w0 + 3 * nIn + i]), a3);
        }
        int at = o * stride + p;
        a0.intoArray(out, at);
        a1.intoArray(out, at + stride);
        a2.intoArray(out, at + 2 * stride);
        a3.intoArray(out, at + 3 * stride);
    }

    /**
     * Adds {@code a[r·stride + p] · b[c·stride + p]} into the lanes {@code lanes[(r·nB + c)·LENGTH + lane]}
     * ({@code p ≡ lane} modulo the vector length), for every row {@code r < nA} of {@code a} and {@code c < nB} of
     * {@code b}: dL/dW with {@code a = dy}, {@code b = x}. Summing the lanes gives {@code Σ_p a[r][p]·b[c][p]}.
     */
    static void crossLanes(float[] a, float[] b, int nA, int nB, int stride, float[] lanes) {
        int r = 0;
        for (; r + ROWS <= nA; r += ROWS) {
            int c = 0;
            for (; c + ROWS <= nB; c += ROWS) {
                cross4x4(a, b, nB, r, c, stride, lanes);
            }
            for (; c < nB; c++) {
                for (int k = 0; k < ROWS; k++) {
                    cross1x1(a, b, nB, r + k, c, stride, lanes);
                }
            }
        }
        for (; r < nA; r++) {
            for (int c = 0; c < nB; c++) {
                cross1x1(a, b, nB, r, c, stride, lanes);
            }
        }
    }

    private static void cross4x4(float[] a, float[] b, int nB, int r, int c, int stride, float[] lanes) {
        FloatVector s00 = FloatVector.zero(S);
        FloatVector s01 = s00;
        FloatVector s02 = s00;
        FloatVector s03 = s00;
        FloatVector s10 = s00;
        FloatVector s11 = s00;
        FloatVector s12 = s00;
        FloatVector s13 = s00;
        FloatVector s20 = s00;
        FloatVector s21 = s00;
        FloatVector s22 = s00;
        FloatVector s23 = s00;
        FloatVector s30 = s00;
        FloatVector s31 = s00;
        FloatVector s32 = s00;
        FloatVector s33 = s00;
        int ra = r * stride;
        int cb = c * stride;
        for (int p = 0; p < stride; p += LENGTH) {
            FloatVector a0 = FloatVector.fromArray(S, a, ra + p);
            FloatVector a1 = FloatVector.fromArray(S, a, ra + stride + p);
            FloatVector a2 = FloatVector.fromArray(S, a, ra + 2 * stride + p);
            FloatVector a3 = FloatVector.fromArray(S, a, ra + 3 * stride + p);
            FloatVector b0 = FloatVector.fromArray(S, b, cb + p);
            FloatVector b1 = FloatVector.fromArray(S, b, cb + stride + p);
            FloatVector b2 = FloatVector.fromArray(S, b, cb + 2 * stride + p);
            FloatVector b3 = FloatVector.fromArray(S, b, cb + 3 * stride + p);
            s00 = a0.fma(b0, s00);
            s01 = a0.fma(b1, s01);
            s02 = a0.fma(b2, s02);
            s03 = a0.fma(b3, s03);
            s10 = a1.fma(b0, s10);
            s11 = a1.fma(b1, s11);
            s12 = a1.fma(b2, s12);
            s13 = a1.fma(b3, s13);
            s20 = a2.fma(b0, s20);
            s21 = a2.fma(b1, s21);
            s22 = a2.fma(b2, s22);
            s23 = a2.fma(b3, s23);
            s30 = a3.fma(b0, s30);
            s31 = a3.fma(b1, s31);
            s32 = a3.fma(b2, s32);
            s33 = a3.fma(b3, s33);
        }
        // written out rather than in a helper: vectors passed to a call that is not inlined are boxed
        int at = (r * nB + c) * LENGTH;
        int next = nB * LENGTH;
        FloatVector.fromArray(S, lanes, at).add(s00).intoArray(lanes, at);
        FloatVector.fromArray(S, lanes, at + LENGTH).add(s01).intoArray(lanes, at + LENGTH);
        FloatVector.fromArray(S, lanes, at + 2 * LENGTH).add(s02).intoArray(lanes, at + 2 * LENGTH);
        FloatVector.fromArray(S, lanes, at + 3 * LENGTH).add(s03).intoArray(lanes, at + 3 * LENGTH);
        at += next;
        FloatVector.fromArray(S, lanes, at).add(s10).intoArray(lanes, at);
        FloatVector.fromArray(S, lanes, at + LENGTH).add(s11).intoArray(lanes, at + LENGTH);
        FloatVector.fromArray(S, lanes, at + 2 * LENGTH).add(s12).intoArray(lanes, at + 2 * LENGTH);
        FloatVector.fromArray(S, lanes, at + 3 * LENGTH).add(s13).intoArray(lanes, at + 3 * LENGTH);
        at += next;
        FloatVector.fromArray(S, lanes, at).add(s20).intoArray(lanes, at);
        FloatVector.fromArray(S, lanes, at + LENGTH).add(s21).intoArray(lanes, at + LENGTH);
        FloatVector.fromArray(S, lanes, at + 2 * LENGTH).add(s22).intoArray(lanes, at + 2 * LENGTH);
        FloatVector.fromArray(S, lanes, at + 3 * LENGTH).add(s23).intoArray(lanes, at + 3 * LENGTH);
        at += next;
        FloatVector.fromArray(S, lanes, at).add(s30).intoArray(lanes, at);
        FloatVector.fromArray(S, lanes, at + LENGTH).add(s31).intoArray(lanes, at + LENGTH);
        FloatVector.fromArray(S, lanes, at + 2 * LENGTH).add(s32).intoArray(lanes, at + 2 * LENGTH);
        FloatVector.fromArray(S, lanes, at + 3 * LENGTH).add(s33).intoArray(lanes, at + 3 * LENGTH);
    }

    private static void cross1x1(float[] a, float[] b, int nB, int r, int c, int stride, float[] lanes) {
        FloatVector s = FloatVector.zero(S);
        for (int p = 0; p < stride; p += LENGTH) {
            s = FloatVector.fromArray(S, a, r * stride + p).fma(FloatVector.fromArray(S, b, c * stride + p), s);
        }
        int at = (r * nB + c) * LENGTH;
        FloatVector.fromArray(S, lanes, at).add(s).intoArray(lanes, at);
    }

    /** Adds row {@code r} of {@code a} into the lanes {@code lanes[r·LENGTH + lane]}, for every row: dL/db. */
    static void rowLanes(float[] a, int nA, int stride, float[] lanes) {
        for (int r = 0; r < nA; r++) {
            FloatVector s = FloatVector.zero(S);
            for (int p = 0; p < stride; p += LENGTH) {
                s = s.add(FloatVector.fromArray(S, a, r * stride + p));
            }
            FloatVector.fromArray(S, lanes, r * LENGTH).add(s).intoArray(lanes, r * LENGTH);
        }
    }
}
