package org.bn4j.inception.experiment;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Fig3PlanTest {

    @Test
    void theDefaultPlanMeetsTheIssuesFloorAndFitsTwoAndAHalfHoursAt200ImagesPerSecond() {
        Fig3Plan plan = Fig3Plan.of(Fig3Settings.defaults(), 200);
        assertEquals(100, plan.stepsPerEpoch());
        assertEquals(4.0, plan.evaluationsPerEpoch());
        assertEquals(5.0, plan.plateauEpochs());
        assertEquals(0.32, plan.secondsPerStep(), 1e-12);
        assertEquals(2000 / 600.0, plan.secondsPerValidation(), 1e-12);
        assertEquals(8, Fig3Settings.defaults().runs().size());
        double worst = 7 * (2500 * 0.32 + 100 * 2000 / 600.0) + (1000 * 0.32 + 40 * 2000 / 600.0);
        assertEquals(worst, plan.worstTotalSeconds(), 1e-6);
        assertTrue(worst / 3600 <= Fig3Plan.BUDGET_HOURS, worst / 3600 + " h");
        String text = plan.render();
        assertTrue(text.contains("steps per epoch: ceil(6400 / 64) = 100"), text);
        assertTrue(text.contains("a step 64 / 200 = 0.320 s; a validation 2000 / 600 = 3.33 s"), text);
        assertTrue(text.contains("fits"), text);
    }

    @Test
    void runsTrainTheBaselineFirstPerSeedAndOnlyTheHeadlineRecipesWithLaterSeeds() {
        assertEquals(java.util.List.of("inception", "bn-baseline", "bn-x5", "bn-x30", "bn-x5-sigmoid",
                        "inception-sigmoid", "inception-seed2", "bn-x5-seed2"),
                Fig3Settings.defaults().runs().stream().map(Fig3Settings.Run::id).toList());
    }
}
