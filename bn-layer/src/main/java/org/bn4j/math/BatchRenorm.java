package org.bn4j.math;

/**
 * The correction of Batch Renormalization (Ioffe, NIPS 2017, Algorithm 1), per feature, from the batch statistics
 * and the moving averages:
 * <pre>
 *   σ_B = √(σ²_B + ε)        σ = √(Var[x] + ε)
 *   r   = clip(σ_B/σ, 1/r_max, r_max)
 *   d   = clip((μ_B − E[x])/σ, −d_max, d_max)
 *   y   = γ·(x̂·r + d) + β  =  (γ·r)·x̂ + (β + γ·d),      x̂ = (x − μ_B)/σ_B
 * </pre>
 * r and d are constants in the backward pass (the paper's stop_gradient), so the layer is plain batch normalization
 * with scale {@code γ' = γ·r} and shift {@code β' = β + γ·d}: the same kernels compute it, and the gradients are
 * those of batch normalization with γ', plus {@code dγ = r·Σ dy·x̂ + d·Σ dy} ({@link #gammaGradient}).
 */
public final class BatchRenorm {

    private BatchRenorm() {
    }

    /**
     * Writes r and d per feature. {@code batchVariance} is the biased batch variance σ²_B of Algorithm 1,
     * {@code populationVariance} the moving average Var[x].
     */
    public static void correction(double[] batchMean, double[] batchVariance, double[] populationMean,
                                  double[] populationVariance, double eps, double rMax, double dMax, double[] r,
                                  double[] d) {
        for (int c = 0; c < r.length; c++) {
            double sigmaBatch = Math.sqrt(batchVariance[c] + eps);
            double sigma = Math.sqrt(populationVariance[c] + eps);
            r[c] = clip(sigmaBatch / sigma, 1.0 / rMax, rMax);
            d[c] = clip((batchMean[c] - populationMean[c]) / sigma, -dMax, dMax);
        }
    }

    /** {@code γ' = γ·r} ({@code gamma == null} means γ = 1). */
    public static double[] scale(double[] gamma, double[] r) {
        double[] out = new double[r.length];
        for (int c = 0; c < r.length; c++) {
            out[c] = (gamma == null ? 1.0 : gamma[c]) * r[c];
        }
        return out;
    }

    /** {@code β' = β + γ·d} ({@code null} means γ = 1 or β = 0). */
    public static double[] shift(double[] gamma, double[] beta, double[] d) {
        double[] out = new double[d.length];
        for (int c = 0; c < d.length; c++) {
            out[c] = (beta == null ? 0.0 : beta[c]) + (gamma == null ? 1.0 : gamma[c]) * d[c];
        }
        return out;
    }

    /** {@code dγ = r·Σ dy·x̂ + d·Σ dy}, from the sums batch normalization's backward pass gives. */
    public static double[] gammaGradient(double[] sumDyXHat, double[] sumDy, double[] r, double[] d) {
        double[] out = new double[r.length];
        for (int c = 0; c < r.length; c++) {
            out[c] = r[c] * sumDyXHat[c] + d[c] * sumDy[c];
        }
        return out;
    }

    private static double clip(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
