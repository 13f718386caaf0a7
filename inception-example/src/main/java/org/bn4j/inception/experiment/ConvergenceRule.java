package org.bn4j.inception.experiment;

import org.bn4j.inception.train.StopRule;
import org.bn4j.inception.train.Validation;

import java.util.List;

/**
 * When a recipe of Experiment 2 has trained "to convergence" (Ioffe &amp; Szegedy 2015, §4.2.1, read for a small
 * CPU): the baseline runs until its validation accuracy plateaus (no new best for {@code patience} validations); a
 * recipe compared with it runs at least until it reaches the baseline's best accuracy ({@code target}), then on to
 * its own plateau or the baseline's step count, whichever comes first. Every recipe stops at {@code maxSteps} (a
 * safety net). A pure function of the validations, so a resumed run stops where an uninterrupted one does.
 *
 * @param patience      validations without a strictly higher accuracy than the best before them that make a plateau
 * @param maxSteps      step cap
 * @param target        the baseline's best accuracy; NaN for the baseline itself and the negative control
 * @param baselineSteps steps the baseline ran; 0 with no target
 */
public record ConvergenceRule(int patience, long maxSteps, double target, long baselineSteps) implements StopRule {

    /** Why a run stopped. */
    public static final String PLATEAU = "plateau";
    /** Why a run stopped. */
    public static final String CAP = "step cap";
    /** Why a run stopped. */
    public static final String BASELINE_STEPS = "baseline's step count";

    /** The baseline's (and the negative control's) rule: plateau or cap. */
    public static ConvergenceRule toPlateau(int patience, long maxSteps) {
        return new ConvergenceRule(patience, maxSteps, Double.NaN, 0);
    }

    /** A compared recipe's rule: reach {@code target}, then plateau or {@code baselineSteps}; cap in any case. */
    public static ConvergenceRule following(int patience, long maxSteps, double target, long baselineSteps) {
        return new ConvergenceRule(patience, maxSteps, target, baselineSteps);
    }

    @Override
    public boolean stop(List<Validation> validations) {
        return reason(validations) != null;
    }

    /** Why the run stops after these validations ({@link #PLATEAU}, {@link #CAP}, {@link #BASELINE_STEPS}), or null. */
    public String reason(List<Validation> validations) {
        if (validations.isEmpty()) {
            return null;
        }
        long step = validations.get(validations.size() - 1).step();
        boolean reached = Double.isNaN(target) || validations.stream().anyMatch(v -> v.accuracy() >= target);
        if (reached && plateau(validations)) {
            return PLATEAU;
        }
        if (reached && !Double.isNaN(target) && step >= baselineSteps) {
            return BASELINE_STEPS;
        }
        return step >= maxSteps ? CAP : null;
    }

    /** No new best in the last {@code patience} validations. */
    boolean plateau(List<Validation> validations) {
        int bestAt = 0;
        for (int i = 1; i < validations.size(); i++) {
            if (validations.get(i).accuracy() > validations.get(bestAt).accuracy()) {
                bestAt = i;
            }
        }
        return validations.size() - 1 - bestAt >= patience;
    }
}
