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
 * <p><b>Fused passes</b> ({@code trainForward} and {@code backward} of NCHW input): where one channel's values (of x,
 * or of x and dy) fit in half of a core's level-2 cache ({@link CpuCache}, read from the machine at run time), each
 * task takes a block of channels and runs pass 1 and pass 2 on it back to back, so that pass 2 reads the block from
 * the cache instead of memory: three reads and two writes from memory instead of five and two. The arithmetic and
 * the order of every sum are those of the two separate passes (the results are equal bit for bit). The synchronized
 * path of ParallelTrainer calls the passes separately ({@code moments} … {@code normalize}), since the replicas
 * meet between them.
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
    /** Bytes a channel block of a fused pass may read (half of one core's level-2 cache); 0: no fused passes. */
    private final long fusedBudget;

    /** CPU kernels that fall back to {@link Nd4jOpKernels} for arrays they do not handle. */
    public CpuKernels() {
        this(new Nd4jOpKernels());
    }

    /** CPU kernels that fall back to {@code fallback} for arrays they do not handle. */
    public CpuKernels(BatchNormKernels fallback) {
        this(fallback, defaultFusedBudget());
    }

    /** The fused passes' budget per channel block: half of one core's level-2 cache ({@link CpuCache}). */
    static long defaultFusedBudget() {
        return CpuCache.l2Bytes() / 2;
    }

    /** As {@link #CpuKernels(BatchNormKernels)}, with the fused passes' budget given ({@code 0}: never fused). */
    CpuKernels(BatchNormKernels fallback, long fusedBudget) {
        this.fallback = fallback;
        this.fusedBudget = fusedBudget;
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
        CpuGeometry fused = CpuGeometry.fused(x, layout, CpuParallel.threads(), 1, fusedBudget);
        if (fused != null) {
            fusedForward(x, fused, gamma, beta, eps, out, mean, variance, invStd);
            return;
        }
        CpuGeometry g = geometry(x, layout);
        double[][] moments = localMoments(x, g);
        CpuVectors.write(invStd, affine(x, g, gamma, beta, eps, moments[0], moments[1], out));
        CpuVectors.write(mean, moments[0]);
        CpuVectors.write(variance, moments[1]);
    }

    /**
     * Both passes of the training forward, channel block by channel block (each block's moments, then its affine
     * map while the block is still in the cache): the same arithmetic as {@link #localMoments} and {@link #affine}.
     */
    private static void fusedForward(INDArray x, CpuGeometry g, INDArray gamma, INDArray beta, double eps,
                                     INDArray out, INDArray mean, INDArray variance, INDArray invStd) {
        int features = g.features;
        double m = g.valuesPerFeature();
        boolean toFloat = x.dataType() == DataType.FLOAT;
        double[] shift = firstValues(x, g);
        double[] gammas = CpuVectors.read(gamma);
        double[] betas = CpuVectors.read(beta);
        double[] mu = new double[features];
        double[] var = new double[features];
        double[] muRounded = new double[features];
        double[] s = new double[features];
        double[] scale = new double[features];
        double[] offset = new double[features];
        CpuPasses.momentsThenAffine(g, x, shift, (first, end, sums) -> {
            finishMoments(sums, end - first, first, end, shift, m, mu, var);
            affineParameters(first, end, gammas, betas, eps, mu, var, toFloat, muRounded, s, scale, offset);
        }, out, new CpuPasses.AffineMap(muRounded, scale, offset));
        CpuVectors.write(invStd, s);
        CpuVectors.write(mean, mu);
        CpuVectors.write(variance, var);
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
        finishMoments(sums, features, 0, features, shift, m, mu, var);
        return new double[][] {mu, var};
    }

    /**
     * μ and σ² of channels {@code first … end−1} from their sums {@code S1 = Σ(x − K)} at {@code sums[c − first]}
     * and {@code S2 = Σ(x − K)²} at {@code sums[width + c − first]}: {@code μ = K + S1/m, σ² = S2/m − (S1/m)²}.
     */
    private static void finishMoments(double[] sums, int width, int first, int end, double[] shift, double m,
                                      double[] mu, double[] var) {
        for (int c = first; c < end; c++) {
            double shiftedMean = sums[c - first] / m;
            mu[c] = shift[c] + shiftedMean;
            var[c] = Math.max(0.0, sums[width + c - first] / m - shiftedMean * shiftedMean);
        }
    }

    /**
     * Pass 2: {@code out = (x − μ)·γs + β}, with the float rounding of μ folded into the offset; returns
     * {@code s = 1/√(σ² + ε)} per channel.
     */
    private static double[] affine(INDArray x, CpuGeometry g, INDArray gamma, INDArray beta, double eps, double[] mu,
                                   double[] var, INDArray out) {
        int features = g.features;
        double[] muRounded = new double[features];
        double[] s = new double[features];
        double[] scale = new double[features];
        double[] offset = new double[features];
        affineParameters(0, features, CpuVectors.read(gamma), CpuVectors.read(beta), eps, mu, var,
                x.dataType() == DataType.FLOAT, muRounded, s, scale, offset);
        CpuPasses.affine(g, x, out, new CpuPasses.AffineMap(muRounded, scale, offset));
        return s;
    }

    /**
     * The affine map's parameters of channels {@code first … end−1}: {@code s = 1/√(σ² + ε)}, {@code scale = γs},
     * {@code offset = β − (μ − μ_f)·scale} with {@code μ_f} the mean as the loops use it ({@link #rounded}).
     */
    private static void affineParameters(int first, int end, double[] gammas, double[] betas, double eps,
                                         double[] mu, double[] var, boolean toFloat, double[] muRounded,
                                         double[] s, double[] scale, double[] offset) {
        for (int c = first; c < end; c++) {
            muRounded[c] = rounded(mu[c], toFloat);
            s[c] = 1.0 / Math.sqrt(var[c] + eps);
            scale[c] = gammas == null ? s[c] : gammas[c] * s[c];
            offset[c] = (betas == null ? 0.0 : betas[c]) - (mu[c] - muRounded[c]) * scale[c];
        }
    }

    @Override
    public void backward(INDArray x, INDArray dy, FeatureLayout layout, INDArray mean, INDArray invStd,
                         INDArray gamma, INDArray dx, INDArray dGamma, INDArray dBeta) {
        if (!usable(x, dy, dx)) {
            fallback.backward(x, dy, layout, mean, invStd, gamma, dx, dGamma, dBeta);
            return;
        }
        CpuGeometry fused = CpuGeometry.fused(x, layout, CpuParallel.threads(), 2, fusedBudget);
        if (fused != null) {
            fusedBackward(x, dy, fused, mean, invStd, gamma, dx, dGamma, dBeta);
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

    /**
     * Both passes of the backward, channel block by channel block (each block's sums, then its input gradient while
     * the block is still in the cache): the same arithmetic as {@link #localGradientSums} and {@link #gradientMap}.
     */
    private static void fusedBackward(INDArray x, INDArray dy, CpuGeometry g, INDArray mean, INDArray invStd,
                                      INDArray gamma, INDArray dx, INDArray dGamma, INDArray dBeta) {
        int features = g.features;
        double m = g.valuesPerFeature();
        double[] mu = CpuVectors.read(mean);
        double[] s = CpuVectors.read(invStd);
        double[] gammas = CpuVectors.read(gamma);
        double[] muRounded = rounded(x, mu);
        double[] dg = new double[features];
        double[] db = new double[features];
        double[] k = new double[features];
        double[] slope = new double[features];
        double[] constant = new double[features];
        CpuPasses.gradientSumsThenMap(g, x, dy, muRounded, (first, end, sums) -> {
            finishGradientSums(sums, end - first, first, end, mu, muRounded, s, dg, db);
            gradientMapParameters(first, end, mu, muRounded, s, gammas, dg, db, m, k, slope, constant);
        }, dx, new CpuPasses.GradientMap(muRounded, k, slope, constant));
        CpuVectors.write(dGamma, dg);
        CpuVectors.write(dBeta, db);
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
        finishGradientSums(sums, features, 0, features, mu, muRounded, s, dg, db);
        return new double[][] {dg, db};
    }

    /**
     * dγ and dβ of channels {@code first … end−1} from {@code Σ dy} at {@code sums[c − first]} and
     * {@code Σ dy·(x − μ_f)} at {@code sums[width + c − first]}.
     */
    private static void finishGradientSums(double[] sums, int width, int first, int end, double[] mu,
                                           double[] muRounded, double[] s, double[] dg, double[] db) {
        for (int c = first; c < end; c++) {
            double delta = mu[c] - muRounded[c];                 // x − μ = (x − μ_f) − δ
            double sumDy = sums[c - first];
            db[c] = sumDy;
            dg[c] = s[c] * (sums[width + c - first] - delta * sumDy);
        }
    }

    /** Backward pass 2: {@code dx = γs·dy − γs²·dγ/m·(x − μ) − γs·dβ/m}, with sums over {@code m} values. */
    private static void gradientMap(INDArray x, INDArray dy, CpuGeometry g, double[] mu, double[] s, double[] gammas,
                                    double[] dg, double[] db, double m, INDArray dx) {
        int features = g.features;
        double[] muRounded = rounded(x, mu);
        double[] k = new double[features];
        double[] slope = new double[features];
        double[] constant = new double[features];
        gradientMapParameters(0, features, mu, muRounded, s, gammas, dg, db, m, k, slope, constant);
        CpuPasses.gradientMap(g, x, dy, dx, new CpuPasses.GradientMap(muRounded, k, slope, constant));
    }

    /** The backward map's parameters of channels {@code first … end−1}: {@code k = γs}, the slope and the constant. */
    private static void gradientMapParameters(int first, int end, double[] mu, double[] muRounded, double[] s,
                                              double[] gammas, double[] dg, double[] db, double m, double[] k,
                                              double[] slope, double[] constant) {
        for (int c = first; c < end; c++) {
            double delta = mu[c] - muRounded[c];
            k[c] = gammas == null ? s[c] : gammas[c] * s[c];
            slope[c] = -k[c] * s[c] * dg[c] / m;
            constant[c] = -k[c] * db[c] / m - slope[c] * delta;
        }
    }

    /** The mean as the element loops use it: rounded to float for float input (see the class comment). */
    private static double[] rounded(INDArray x, double[] mu) {
        if (x.dataType() != DataType.FLOAT) {
            return mu;
        }
        double[] r = new double[mu.length];
        for (int c = 0; c < mu.length; c++) {
            r[c] = rounded(mu[c], true);
        }
        return r;
    }

    private static double rounded(double mu, boolean toFloat) {
        return toFloat ? (float) mu : mu;
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
