package org.bn4j.inception.experiment;

import org.bn4j.inception.train.Validation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ConvergenceRuleTest {

    /** Validations every 10 steps. */
    private static List<Validation> curve(double... accuracies) {
        List<Validation> v = new ArrayList<>();
        for (int i = 0; i < accuracies.length; i++) {
            v.add(new Validation(10L * (i + 1), accuracies[i]));
        }
        return v;
    }

    @Test
    void theBaselineStopsAfterPatienceValidationsWithoutANewBest() {
        ConvergenceRule rule = ConvergenceRule.toPlateau(3, 1000);
        assertNull(rule.reason(curve(0.1, 0.3, 0.3, 0.2)), "a tie is no new best, but only 2 validations since");
        assertEquals(ConvergenceRule.PLATEAU, rule.reason(curve(0.1, 0.3, 0.3, 0.2, 0.29)));
        assertNull(rule.reason(curve(0.1, 0.3, 0.3, 0.2, 0.31)));
    }

    @Test
    void theCapStopsARunStillImproving() {
        assertEquals(ConvergenceRule.CAP, ConvergenceRule.toPlateau(3, 30).reason(curve(0.1, 0.2, 0.3)));
    }

    @Test
    void aComparedRecipeRunsUntilItReachesTheTargetThenToItsPlateauOrTheBaselinesSteps() {
        ConvergenceRule rule = ConvergenceRule.following(2, 1000, 0.5, 60);
        assertNull(rule.reason(curve(0.4, 0.3, 0.3, 0.3)), "a plateau below the target does not stop it");
        assertEquals(ConvergenceRule.PLATEAU, rule.reason(curve(0.4, 0.5, 0.5, 0.45)));
        assertEquals(ConvergenceRule.BASELINE_STEPS, rule.reason(curve(0.1, 0.2, 0.3, 0.4, 0.5, 0.6)));
        assertNull(rule.reason(curve(0.1, 0.2, 0.3, 0.4, 0.45, 0.46, 0.47)), "past the baseline's steps, not there");
        assertEquals(ConvergenceRule.CAP, ConvergenceRule.following(2, 70, 0.5, 60)
                .reason(curve(0.1, 0.2, 0.3, 0.4, 0.45, 0.46, 0.47)));
    }
}
