package org.bn4j.layer;

import org.deeplearning4j.nn.conf.GradientNormalization;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * DL4J's {@link GradientNormalization} applied to the γ/β gradient of a bn4j layer, and only to it: the population
 * statistics' pseudo-gradients, which travel in the same layer gradient, must stay exact.
 *
 * <p>DL4J's updater first divides a layer's gradient by the minibatch size {@code N}, then normalizes it
 * ({@code BaseMultiLayerUpdater.preApply}). The layer runs before the updater, so it writes {@code N·M(g/N)} for
 * the mode {@code M}; the updater's division then leaves {@code M(g/N)}, exactly what DL4J gives its own layers. A
 * "layer" in the per-layer modes is γ and β together; a "parameter type" is γ or β.
 * <pre>
 *   RenormalizeL2PerLayer          g/N ← (g/N)/‖g/N‖           (‖·‖ = 0 taken as 1e-5, as DL4J does)
 *   RenormalizeL2PerParamType      the same for γ and β separately
 *   ClipElementWiseAbsoluteValue   g/N ← clip(g/N, −t, t)
 *   ClipL2PerLayer                 g/N ← (g/N)·t/‖g/N‖  when ‖g/N‖ &gt; t
 *   ClipL2PerParamType             the same for γ and β separately
 * </pre>
 */
final class GammaBetaNormalization {

    private GammaBetaNormalization() {
    }

    /**
     * Normalizes {@code gradients} (γ's and β's, modified in place) for an updater that divides them by
     * {@code minibatch} afterwards (1 when it does not divide).
     */
    static void apply(GradientNormalization mode, double threshold, double minibatch, INDArray... gradients) {
        if (mode == null || mode == GradientNormalization.None) {
            return;
        }
        switch (mode) {
            case RenormalizeL2PerLayer:
                scale(gradients, 1.0 / nonZero(l2(gradients) / minibatch));
                break;
            case RenormalizeL2PerParamType:
                for (INDArray g : gradients) {
                    scale(new INDArray[] {g}, 1.0 / nonZero(l2(g) / minibatch));
                }
                break;
            case ClipElementWiseAbsoluteValue:
                for (INDArray g : gradients) {
                    double limit = threshold * minibatch;
                    Transforms.min(Transforms.max(g, -limit, false), limit, false);    // in place
                }
                break;
            case ClipL2PerLayer:
                clipL2(gradients, threshold, minibatch);
                break;
            case ClipL2PerParamType:
                for (INDArray g : gradients) {
                    clipL2(new INDArray[] {g}, threshold, minibatch);
                }
                break;
            default:
                throw new IllegalArgumentException("unknown gradient normalization " + mode);
        }
    }

    private static void clipL2(INDArray[] gradients, double threshold, double minibatch) {
        double l2 = l2(gradients) / minibatch;
        if (l2 > threshold) {
            scale(gradients, threshold / l2);
        }
    }

    private static double l2(INDArray... gradients) {
        double squares = 0;
        for (INDArray g : gradients) {
            double norm = g.norm2Number().doubleValue();
            squares += norm * norm;
        }
        return Math.sqrt(squares);
    }

    private static double nonZero(double l2) {
        return l2 == 0.0 ? 1e-5 : l2;
    }

    private static void scale(INDArray[] gradients, double factor) {
        for (INDArray g : gradients) {
            g.muli(factor);
        }
    }
}
