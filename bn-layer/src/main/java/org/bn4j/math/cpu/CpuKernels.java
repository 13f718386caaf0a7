package org.bn4j.math.cpu;

import org.bn4j.math.BatchNormKernels;
import org.bn4j.math.FeatureLayout;
import org.bn4j.math.Nd4jOpKernels;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link BatchNormKernels} written as Java loops over ND4J's native memory (direct NIO buffers, no copy of the
 * arrays), parallel on all cores ({@link CpuParallel}), for FLOAT and DOUBLE C-order arrays on ND4J's CPU backend.
 *
 * <p>Per channel c, with {@code m} values per channel and {@code K_c} the channel's first value:
 * <pre>
 *   training forward, pass 1:  S1 = Σ(x − K),  S2 = Σ(x − K)²            (double sums)
 *                              μ = K + S1/m,   σ² = S2/m − (S1/m)²,   s = 1/√(σ² + ε)
 *                    pass 2:   y = (x − μ)·γs + β
 *   backward,        pass 1:   dβ = Σ dy,   dγ = Σ dy·x̂ = s·Σ dy·(x − μ)
 *                    pass 2:   dx = γs·dy − γs²·dγ/m·(x − μ) − γs·dβ/m     (= γs/m·(m·dy − dβ − x̂·dγ))
 *   inference,       one pass: y = scale·x + shift
 *   ReLU gradient,   one pass: out = dy where scale·x + shift &gt; 0, else 0   (a ReLU after the layer)
 * </pre>
 * Five reads and two writes of the activation size for forward plus backward, against about fifteen ND4J ops in
 * {@link Nd4jOpKernels}.
 *
 * <p>Any array that is not a plain C-order FLOAT/DOUBLE array with zero offset (a view, 'f' order, another data
 * type, mixed data types) or a non-CPU backend sends the call to the fallback ({@link Nd4jOpKernels} by default),
 * so the class is safe to use with any input. Per-feature arrays may be views.
 *
 * <p>NOTE (float32 accuracy): sums are taken of {@code x − K}, not of {@code x}, so that an input like
 * 10000 + N(0,1) does not lose its variance to cancellation, and all long sums are in double. The mean is used in
 * the element loops rounded to float ({@code μ_f}); the rounding error {@code δ = μ − μ_f} is folded back into the
 * per-channel constants in double ({@code y = (x − μ_f)·γs + (β − δ·γs)}, likewise for dγ and dx), so
 * {@code x − μ_f} is exact for values close to the mean. The backward pass therefore needs μ in double (the layer
 * keeps it so between forward and backward): a mean already rounded to float gives δ = 0 and loses the correction.
 */
public final class CpuKernels implements BatchNormKernels {

    private static final boolean CPU_BACKEND = detectCpuBackend();

    private final BatchNormKernels fallback;

    /** CPU kernels that fall back to {@link Nd4jOpKernels} for arrays they do not handle. */
    public CpuKernels() {
        this(new Nd4jOpKernels());
    }

    /** CPU kernels that fall back to {@code fallback} for arrays they do not handle. */
    public CpuKernels(BatchNormKernels fallback) {
        this.fallback = fallback;
    }

    /** Whether ND4J runs on its native CPU backend (not CUDA), the only backend whose memory these loops can read. */
    public static boolean isCpuBackend() {
        return CPU_BACKEND;
    }

    /**
     * Whether the loops handle {@code a} directly: FLOAT or DOUBLE, C order with default strides, not a view, zero
     * offset, non-empty, at most {@code Integer.MAX_VALUE} values.
     */
    public static boolean supports(INDArray a) {
        if (a == null || a.isEmpty() || a.isView() || a.offset() != 0 || a.ordering() != 'c'
                || a.length() > Integer.MAX_VALUE) {
            return false;
        }
        DataType type = a.dataType();
        return (type == DataType.FLOAT || type == DataType.DOUBLE) && isDenseRowMajor(a);
    }

    /**
     * C-order strides, ignoring dimensions of size 1. NOTE: not {@code Shape.hasDefaultStridesForShape}, which
     * rejects arrays ND4J itself creates with a size-1 dimension, such as {@code [N, 1, H, W]}.
     */
    private static boolean isDenseRowMajor(INDArray a) {
        long[] shape = a.shape();
        long[] stride = a.stride();
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    @Override
    public void trainForward(INDArray x, FeatureLayout layout, INDArray gamma, INDArray beta, double eps,
                             INDArray out, INDArray mean, INDArray variance, INDArray invStd) {
        if (!usable(x, out)) {
            fallback.trainForward(x, layout, gamma, beta, eps, out, mean, variance, invStd);
            return;
        }
        CpuGeometry g = geometry(x, layout);
        double[][] moments = localMoments(x, g);
        CpuVectors.write(invStd, affine(x, g, gamma, beta, eps, moments[0], moments[1], out));
        CpuVectors.write(mean, moments[0]);
        CpuVectors.write(variance, moments[1]);
    }

    @Override
    public void moments(INDArray x, FeatureLayout layout, INDArray mean, INDArray variance) {
        if (!usable(x)) {
            fallback.moments(x, layout, mean, variance);
            return;
        }
        double[][] moments = localMoments(x, geometry(x, layout));
        CpuVectors.write(mean, moments[0]);
        CpuVectors.write(variance, moments[1]);
    }

    @Override
    public void normalize(INDArray x, FeatureLayout layout, INDArray gamma, INDArray beta, double eps, INDArray mean,
                          INDArray variance, INDArray out, INDArray invStd) {
        if (!usable(x, out)) {
            fallback.normalize(x, layout, gamma, beta, eps, mean, variance, out, invStd);
            return;
        }
        CpuVectors.write(invStd, affine(x, geometry(x, layout), gamma, beta, eps, CpuVectors.read(mean),
                CpuVectors.read(variance), out));
    }

    /** Pass 1: {@code [μ, σ²]} per channel, in double. */
    private static double[][] localMoments(INDArray x, CpuGeometry g) {
        int features = g.features;
        double m = g.valuesPerFeature();
        double[] shift = firstValues(x, g);
        double[] sums = CpuPasses.moments(g, x, shift);
        double[] mu = new double[features];
        double[] var = new double[features];
        for (int c = 0; c < features; c++) {
            double shiftedMean = sums[c] / m;
            mu[c] = shift[c] + shiftedMean;
            var[c] = Math.max(0.0, sums[features + c] / m - shiftedMean * shiftedMean);
        }
        return new double[][] {mu, var};
    }

    /**
     * Pass 2: {@code out = (x − μ)·γs + β}, with the float rounding of μ folded into the offset; returns
     * {@code s = 1/√(σ² + ε)} per channel.
     */
    private static double[] affine(INDArray x, CpuGeometry g, INDArray gamma, INDArray beta, double eps, double[] mu,
                                   double[] var, INDArray out) {
        int features = g.features;
        double[] gammas = CpuVectors.read(gamma);
        double[] betas = CpuVectors.read(beta);
        double[] muRounded = rounded(x, mu);
        double[] s = new double[features];
        double[] scale = new double[features];
        double[] offset = new double[features];
        for (int c = 0; c < features; c++) {
            s[c] = 1.0 / Math.sqrt(var[c] + eps);
            scale[c] = gammas == null ? s[c] : gammas[c] * s[c];
            offset[c] = (betas == null ? 0.0 : betas[c]) - (mu[c] - muRounded[c]) * scale[c];
        }
        CpuPasses.affine(g, x, out, new CpuPasses.AffineMap(muRounded, scale, offset));
        return s;
    }

    @Override
    public void backward(INDArray x, INDArray dy, FeatureLayout layout, INDArray mean, INDArray invStd,
                         INDArray gamma, INDArray dx, INDArray dGamma, INDArray dBeta) {
        if (!usable(x, dy, dx)) {
            fallback.backward(x, dy, layout, mean, invStd, gamma, dx, dGamma, dBeta);
            return;
        }
        CpuGeometry g = geometry(x, layout);
        double[] mu = CpuVectors.read(mean);
        double[] s = CpuVectors.read(invStd);
        double[][] sums = localGradientSums(x, dy, g, mu, s);
        gradientMap(x, dy, g, mu, s, CpuVectors.read(gamma), sums[0], sums[1], g.valuesPerFeature(), dx);
        CpuVectors.write(dGamma, sums[0]);
        CpuVectors.write(dBeta, sums[1]);
    }

    @Override
    public void gradientSums(INDArray x, INDArray dy, FeatureLayout layout, INDArray mean, INDArray invStd,
                             INDArray dGamma, INDArray dBeta) {
        if (!usable(x, dy)) {
            fallback.gradientSums(x, dy, layout, mean, invStd, dGamma, dBeta);
            return;
        }
        double[][] sums = localGradientSums(x, dy, geometry(x, layout), CpuVectors.read(mean),
                CpuVectors.read(invStd));
        CpuVectors.write(dGamma, sums[0]);
        CpuVectors.write(dBeta, sums[1]);
    }

    @Override
    public void inputGradient(INDArray x, INDArray dy, FeatureLayout layout, INDArray mean, INDArray invStd,
                              INDArray gamma, INDArray dGamma, INDArray dBeta, double m, INDArray dx) {
        if (!usable(x, dy, dx)) {
            fallback.inputGradient(x, dy, layout, mean, invStd, gamma, dGamma, dBeta, m, dx);
            return;
        }
        gradientMap(x, dy, geometry(x, layout), CpuVectors.read(mean), CpuVectors.read(invStd),
                CpuVectors.read(gamma), CpuVectors.read(dGamma), CpuVectors.read(dBeta), m, dx);
    }

    /** Backward pass 1: {@code [dγ, dβ]} per channel, in double. */
    private static double[][] localGradientSums(INDArray x, INDArray dy, CpuGeometry g, double[] mu, double[] s) {
        int features = g.features;
        double[] muRounded = rounded(x, mu);
        double[] sums = CpuPasses.gradientSums(g, x, dy, muRounded);
        double[] dg = new double[features];
        double[] db = new double[features];
        for (int c = 0; c < features; c++) {
            double delta = mu[c] - muRounded[c];                 // x − μ = (x − μ_f) − δ
            db[c] = sums[c];
            dg[c] = s[c] * (sums[features + c] - delta * sums[c]);
        }
        return new double[][] {dg, db};
    }

    /** Backward pass 2: {@code dx = γs·dy − γs²·dγ/m·(x − μ) − γs·dβ/m}, with sums over {@code m} values. */
    private static void gradientMap(INDArray x, INDArray dy, CpuGeometry g, double[] mu, double[] s, double[] gammas,
                                    double[] dg, double[] db, double m, INDArray dx) {
        int features = g.features;
        double[] muRounded = rounded(x, mu);
        double[] k = new double[features];
        double[] slope = new double[features];
        double[] constant = new double[features];
        for (int c = 0; c < features; c++) {
            double delta = mu[c] - muRounded[c];
            k[c] = gammas == null ? s[c] : gammas[c] * s[c];
            slope[c] = -k[c] * s[c] * dg[c] / m;
            constant[c] = -k[c] * db[c] / m - slope[c] * delta;
        }
        CpuPasses.gradientMap(g, x, dy, dx, new CpuPasses.GradientMap(muRounded, k, slope, constant));
    }

    /** The mean as the element loops use it: rounded to float for float input (see the class comment). */
    private static double[] rounded(INDArray x, double[] mu) {
        if (x.dataType() != DataType.FLOAT) {
            return mu;
        }
        double[] r = new double[mu.length];
        for (int c = 0; c < mu.length; c++) {
            r[c] = (float) mu[c];
        }
        return r;
    }

    private static CpuGeometry geometry(INDArray x, FeatureLayout layout) {
        return CpuGeometry.of(x, layout, CpuParallel.threads());
    }

    @Override
    public void inference(INDArray x, FeatureLayout layout, INDArray scale, INDArray shift, INDArray out) {
        if (!usable(x, out)) {
            fallback.inference(x, layout, scale, shift, out);
            return;
        }
        CpuGeometry g = geometry(x, layout);
        CpuPasses.affine(g, x, out,
                new CpuPasses.AffineMap(null, CpuVectors.read(scale), CpuVectors.read(shift)));
    }

    @Override
    public void reluGradient(INDArray x, INDArray dy, FeatureLayout layout, INDArray scale, INDArray shift,
                             INDArray out) {
        if (!usable(x, dy, out)) {
            fallback.reluGradient(x, dy, layout, scale, shift, out);
            return;
        }
        CpuGeometry g = geometry(x, layout);
        CpuPasses.reluGradient(g, x, dy, out,
                new CpuPasses.AffineMap(null, CpuVectors.read(scale), CpuVectors.read(shift)));
    }

    /** The first value of every channel ({@code x[0, c, 0]} of the {@code [outer, C, inner]} view). */
    private static double[] firstValues(INDArray x, CpuGeometry g) {
        double[] first = new double[g.features];
        if (x.dataType() == DataType.DOUBLE) {
            java.nio.DoubleBuffer buffer = x.data().asNioDouble();
            for (int c = 0; c < first.length; c++) {
                first[c] = buffer.get(c * g.inner);
            }
        } else {
            java.nio.FloatBuffer buffer = x.data().asNioFloat();
            for (int c = 0; c < first.length; c++) {
                first[c] = buffer.get(c * g.inner);
            }
        }
        return first;
    }

    private static boolean usable(INDArray x, INDArray... others) {
        if (!CPU_BACKEND || !supports(x)) {
            return false;
        }
        for (INDArray other : others) {
            if (!supports(other) || other.dataType() != x.dataType() || other.length() != x.length()) {
                return false;
            }
        }
        return true;
    }

    private static boolean detectCpuBackend() {
        try {
            boolean nativeCpu = Nd4j.getExecutioner().type() == OpExecutioner.ExecutionerType.NATIVE_CPU;
            return nativeCpu && Nd4j.getBackend().getClass().getName().toLowerCase().contains("cpu");
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
