package org.bn4j.math;

/**
 * The batch statistics of a mini-batch split into shards (one per replica), from the statistics of each shard:
 * count {@code m_r}, mean {@code μ_r} and biased variance {@code σ²_r} per feature. Pairwise (Chan et al. 1979), in
 * shard order:
 * <pre>
 *   m  ← m + m_r
 *   δ  = μ_r − μ
 *   μ  ← μ + δ·m_r/m
 *   M2 ← M2 + m_r·σ²_r + δ²·m_old·m_r/m          σ²_B = M2/m   (biased, as Algorithm 1 normalizes with)
 * </pre>
 * The result is the mean and biased variance of the whole mini-batch, what Algorithm 1 (paper §3) computes over it,
 * without the cancellation of a sum of squares. Every replica combines the same shards in the same order, so all get
 * bitwise the same statistics.
 */
public final class BatchMoments {

    private BatchMoments() {
    }

    /**
     * Combines the shards' statistics: {@code counts[r]}, {@code means[r][c]}, {@code variances[r][c]}; writes the
     * whole batch's mean and biased variance into {@code mean} and {@code variance} and returns its count.
     */
    public static long combine(long[] counts, double[][] means, double[][] variances, double[] mean,
                               double[] variance) {
        int features = mean.length;
        long m = 0;
        double[] m2 = new double[features];
        for (int r = 0; r < counts.length; r++) {
            long mr = counts[r];
            if (mr <= 0) {
                throw new IllegalArgumentException("shard " + r + " has " + mr + " values per feature");
            }
            long total = m + mr;
            for (int c = 0; c < features; c++) {
                if (r == 0) {
                    mean[c] = means[0][c];
                    m2[c] = mr * variances[0][c];
                    continue;
                }
                double delta = means[r][c] - mean[c];
                mean[c] += delta * mr / total;
                m2[c] += mr * variances[r][c] + delta * delta * ((double) m * mr / total);
            }
            m = total;
        }
        for (int c = 0; c < features; c++) {
            variance[c] = counts.length == 1 ? variances[0][c] : m2[c] / m;
        }
        return m;
    }
}
