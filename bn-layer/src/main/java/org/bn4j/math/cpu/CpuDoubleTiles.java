package org.bn4j.math.cpu;

import java.nio.DoubleBuffer;

/** {@link CpuTiles} for DOUBLE arrays: values, parameters and lane sums all in {@code double}. */
final class CpuDoubleTiles extends CpuTiles {

    private double[] t = new double[0];
    private double[] u = new double[0];
    private double[] pa = new double[0];
    private double[] pb = new double[0];
    private double[] pc = new double[0];
    private double[] pd = new double[0];
    private double qa;
    private double qb;
    private double qc;
    private double qd;

    @Override
    protected void grow(int blocks, int lanes) {
        t = new double[lanes];
        u = new double[lanes];
        pa = new double[lanes];
        pb = new double[lanes];
        pc = new double[lanes];
        pd = new double[lanes];
    }

    @Override
    void setParams(int lane, double a, double b, double c, double d) {
        uniform = false;
        pa[lane] = a;
        pb[lane] = b;
        pc[lane] = c;
        pd[lane] = d;
    }

    @Override
    void fillParams(double a, double b, double c, double d) {
        uniform = true;
        qa = a;
        qb = b;
        qc = c;
        qd = d;
    }

    @Override
    void flush(int blocks, int n) {
        // lanes are accumulated in double directly
    }

    @Override
    void finish(int blocks, int n) {
        // lanes are accumulated in double directly
    }

    @Override
    void moments(int pos, int n, int block) {
        ((DoubleBuffer) x).get(pos, t, 0, n);
        double[] v = t;
        double[] s1 = d1[block];
        double[] s2 = d2[block];
        if (uniform) {
            double a = qa;
            for (int i = 0; i < n; i++) {
                double centred = v[i] - a;
                s1[i] += centred;
                s2[i] += centred * centred;
            }
        } else {
            double[] a = pa;
            for (int i = 0; i < n; i++) {
                double centred = v[i] - a[i];
                s1[i] += centred;
                s2[i] += centred * centred;
            }
        }
    }

    @Override
    void gradientSums(int pos, int n, int block) {
        ((DoubleBuffer) x).get(pos, t, 0, n);
        ((DoubleBuffer) y).get(pos, u, 0, n);
        double[] v = t;
        double[] g = u;
        double[] s1 = d1[block];
        double[] s2 = d2[block];
        if (uniform) {
            double a = qa;
            for (int i = 0; i < n; i++) {
                s1[i] += g[i];
                s2[i] += g[i] * (v[i] - a);
            }
        } else {
            double[] a = pa;
            for (int i = 0; i < n; i++) {
                s1[i] += g[i];
                s2[i] += g[i] * (v[i] - a[i]);
            }
        }
    }

    @Override
    void affine(int pos, int n) {
        ((DoubleBuffer) x).get(pos, t, 0, n);
        double[] v = t;
        if (uniform) {
            double a = qa;
            double b = qb;
            double c = qc;
            for (int i = 0; i < n; i++) {
                v[i] = (v[i] - a) * b + c;
            }
        } else {
            double[] a = pa;
            double[] b = pb;
            double[] c = pc;
            for (int i = 0; i < n; i++) {
                v[i] = (v[i] - a[i]) * b[i] + c[i];
            }
        }
        ((DoubleBuffer) out).put(pos, v, 0, n);
    }

    @Override
    void gradientMap(int pos, int n) {
        ((DoubleBuffer) x).get(pos, t, 0, n);
        ((DoubleBuffer) y).get(pos, u, 0, n);
        double[] v = t;
        double[] g = u;
        if (uniform) {
            double a = qa;
            double b = qb;
            double c = qc;
            double d = qd;
            for (int i = 0; i < n; i++) {
                v[i] = g[i] * b + (v[i] - a) * c + d;
            }
        } else {
            double[] a = pa;
            double[] b = pb;
            double[] c = pc;
            double[] d = pd;
            for (int i = 0; i < n; i++) {
                v[i] = g[i] * b[i] + (v[i] - a[i]) * c[i] + d[i];
            }
        }
        ((DoubleBuffer) out).put(pos, v, 0, n);
    }

    @Override
    void reluGradient(int pos, int n) {
        ((DoubleBuffer) x).get(pos, t, 0, n);
        ((DoubleBuffer) y).get(pos, u, 0, n);
        double[] v = t;
        double[] g = u;
        if (uniform) {
            double a = qa;
            double b = qb;
            double c = qc;
            for (int i = 0; i < n; i++) {
                v[i] = Double.longBitsToDouble(Double.doubleToRawLongBits(g[i]) & positiveMask((v[i] - a) * b + c));
            }
        } else {
            double[] a = pa;
            double[] b = pb;
            double[] c = pc;
            for (int i = 0; i < n; i++) {
                v[i] = Double.longBitsToDouble(Double.doubleToRawLongBits(g[i])
                        & positiveMask((v[i] - a[i]) * b[i] + c[i]));
            }
        }
        ((DoubleBuffer) out).put(pos, v, 0, n);
    }

    /** All ones where {@code z > 0}, else zero, without a branch (see {@code CpuFloatTiles.positiveMask}). */
    private static long positiveMask(double z) {
        long bits = Double.doubleToRawLongBits(z);
        return ((0L - bits) & (bits - 0x7ff0000000000001L)) >> 63;
    }
}
