package org.bn4j.inception.experiment;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

class Fig3ReportTest {

    private static Curve curve(String name, double... valuesEvery10Steps) {
        Curve c = new Curve(name, List.of());
        for (int i = 0; i < valuesEvery10Steps.length; i++) {
            c = c.plus(10L * (i + 1), valuesEvery10Steps[i]);
        }
        return c;
    }

    @Test
    void theTableCountsStepsToTheBaselinesBestAndTheVerdictsFollowThem() {
        Fig3Result result = new Fig3Result(Fig3Settings.defaults(), "test images",
                List.of(curve("inception", 0.2, 0.4, 0.5), curve("bn-x30", 0.45, 0.55, 0.6),
                        curve("bn-x5-sigmoid", 0.1, 0.12, 0.15)),
                List.of(60.0, 60.0, 60.0), 180);
        String md = Fig3Report.render(result, "cmd");
        assertTrue(md.contains("| inception | 30 | 50.00% |"), md);
        assertTrue(md.contains("| bn-x30 | 20 | 60.00% |"), md);
        assertTrue(md.contains("| bn-x5-sigmoid | not reached | 15.00% |"), md);
        assertTrue(md.contains("`bn-x30` reaches the baseline's best accuracy in fewer steps than `inception`: "
                + "**held** (20 vs 30 steps"), md);
        assertTrue(md.contains("`bn-x5-sigmoid` reaches the baseline's best accuracy in fewer steps than "
                + "`inception`: **did not hold** (never vs 30 steps"), md);
        assertTrue(md.contains("well above chance, 15.00%): **did not hold**"), md);
        assertTrue(md.contains("74.8%"), "the paper's numbers are shown for comparison");
    }
}
