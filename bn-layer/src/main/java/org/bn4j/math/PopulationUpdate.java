package org.bn4j.math;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One training batch's update of the population statistics, as a pseudo-gradient {@code old − new}.
 *
 * <p>With weight {@code w} ({@code 1 − decay} for a moving average, {@code 1/(n+1)} for a cumulative average of
 * {@code n} earlier batches), the paper's population statistics (Algorithm 2) are followed by
 * <pre>
 *   E[x]   ← E[x]   + w·(μ_B − E[x])
 *   Var[x] ← Var[x] + w·(m/(m−1)·σ²_B − Var[x])      (unbiased batch variance)
 * </pre>
 * Written as {@code gradient = w·(old − batch)}, a NoOp updater's step {@code param −= gradient} applies exactly this
 * update, which is how DL4J lets a layer change non-learned parameters only during {@code fit}.
 */
public final class PopulationUpdate {

    private PopulationUpdate() {
    }

    /** Weight of a new batch in a moving average with the given decay. */
    public static double movingAverageWeight(double decay) {
        return 1.0 - decay;
    }

    /** Weight of a new batch in a cumulative average that already holds {@code batchesSoFar} batches. */
    public static double cumulativeWeight(double batchesSoFar) {
        return 1.0 / (batchesSoFar + 1.0);
    }

    /** Bessel's correction m/(m−1) that turns the biased batch variance into the unbiased one. */
    public static double besselCorrection(long m) {
        return m / (double) (m - 1);
    }

    /**
     * Writes {@code w·(populationMean − batchMean)} into {@code meanGradient} and
     * {@code w·(populationVar − m/(m−1)·batchVariance)} into {@code varGradient}, computed in double and stored in
     * the gradients' data type.
     */
    public static void pseudoGradient(double weight, long m, INDArray populationMean, INDArray populationVar,
                                      INDArray batchMean, INDArray batchVariance,
                                      INDArray meanGradient, INDArray varGradient) {
        // NOTE: castTo returns the array itself when it already is double, so only non-in-place ops before muli.
        INDArray mean = populationMean.castTo(DataType.DOUBLE).sub(batchMean.castTo(DataType.DOUBLE));
        INDArray unbiased = batchVariance.castTo(DataType.DOUBLE).mul(besselCorrection(m));
        INDArray var = populationVar.castTo(DataType.DOUBLE).sub(unbiased);
        meanGradient.assign(mean.muli(weight).castTo(meanGradient.dataType()));
        varGradient.assign(var.muli(weight).castTo(varGradient.dataType()));
    }
}
