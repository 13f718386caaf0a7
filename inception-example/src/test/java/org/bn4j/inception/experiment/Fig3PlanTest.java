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
        assertEquals(0.32, plan.secondsPerStep("bn-x5"), 1e-12);
        assertEquals(0.32, plan.secondsPerStep("inception"), 1e-12);
        assertEquals(2000 / 600.0, plan.secondsPerValidation("inception"), 1e-12);
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
    void measuredPlansTimeEachRunAtItsRecipesRate() {
        Fig3Throughput.Rate fast = new Fig3Throughput.Rate(200, 1000);
        Fig3Throughput.Rate slow = new Fig3Throughput.Rate(128, 800);
        java.util.Map<String, Fig3Throughput.Rate> rates = new java.util.LinkedHashMap<>();
        for (String recipe : Fig3Settings.defaults().recipes()) {
            rates.put(recipe, recipe.equals("inception") || recipe.equals("bn-baseline")
                    || recipe.equals("inception-sigmoid") ? slow : fast);
        }
        Fig3Plan plan = Fig3Plan.measured(Fig3Settings.defaults(), 6400, 2000, new Fig3Throughput(rates, null));
        assertEquals(0.32, plan.secondsPerStep("bn-x5"), 1e-12);
        assertEquals(0.5, plan.secondsPerStep("bn-baseline"), 1e-12);
        assertEquals(0.5, plan.secondsPerStep("inception-sigmoid"), 1e-12);
        assertEquals(2.5, plan.secondsPerValidation("inception"), 1e-12);
        assertEquals(2.0, plan.secondsPerValidation("bn-x30"), 1e-12);
        // slow: inception twice (two seeds), bn-baseline, inception-sigmoid (its own cap); fast: bn-x5 twice, bn-x30,
        // bn-x5-sigmoid
        double worst = 3 * (2500 * 0.5 + 100 * 2.5) + (1000 * 0.5 + 40 * 2.5) + 4 * (2500 * 0.32 + 100 * 2.0);
        assertEquals(worst, plan.worstTotalSeconds(), 1e-6);
        String text = plan.render();
        assertTrue(text.contains("throughput (measured, bn-x5): 200 training images/s"), text);
        assertTrue(text.contains("throughput (measured, inception): 128 training images/s, 800 validation images/s: "
                + "a step 64 / 128 = 0.500 s; a validation 2000 / 800 = 2.50 s"), text);
        assertTrue(text.contains("inception-sigmoid      cap  1000 steps (10.0 epochs): 1000 × 0.500 + 40 × 2.50"),
                text);
        IllegalArgumentException unknown = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> new Fig3Throughput(java.util.Map.of(), null).of("bn-x5"));
        assertTrue(unknown.getMessage().contains("bn-x5"), unknown.getMessage());
    }

    @Test
    void runsTrainTheBaselineFirstPerSeedAndOnlyTheHeadlineRecipesWithLaterSeeds() {
        assertEquals(java.util.List.of("inception", "bn-baseline", "bn-x5", "bn-x30", "bn-x5-sigmoid",
                        "inception-sigmoid", "inception-seed2", "bn-x5-seed2"),
                Fig3Settings.defaults().runs().stream().map(Fig3Settings.Run::id).toList());
    }
}
