package org.bn4j.inception.experiment;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Fig3ReportTest {

    private static Fig3Run run(String recipe, int seedIndex, String reason, double... valuesEvery10Steps) {
        List<Curve.Point> points = new ArrayList<>();
        for (int i = 0; i < valuesEvery10Steps.length; i++) {
            points.add(new Curve.Point(10L * (i + 1), valuesEvery10Steps[i]));
        }
        String id = seedIndex == 0 ? recipe : recipe + "-seed" + (seedIndex + 1);
        return new Fig3Run(id, recipe, seedIndex, 42 + seedIndex, points, 10L * valuesEvery10Steps.length, 60, 70,
                reason);
    }

    private static Fig3Result result() {
        Fig3Settings settings = Fig3Settings.defaults();
        return new Fig3Result(settings, "test images", List.of(
                run("inception", 0, "plateau", 0.2, 0.4, 0.5, 0.5),
                run("bn-x30", 0, "plateau", 0.45, 0.55, 0.6),
                run("bn-x5", 0, "plateau", 0.3, 0.5, 0.52),
                run("bn-x5-sigmoid", 0, "step cap", 0.1, 0.12, 0.15),
                run("inception-sigmoid", 0, "plateau", 0.1, 0.11, 0.1),
                run("inception", 1, "step cap", 0.2, 0.3, 0.4, 0.45),
                run("bn-x5", 1, "plateau", 0.45, 0.5)), 180, 10, Fig3Plan.of(settings, 200));
    }

    @Test
    void theTableCountsStepsToTheSameSeedsBaselineBestAndTheVerdictsFollowThem() {
        String md = Fig3Report.render(result(), "cmd");
        assertTrue(md.contains("| inception | inception | 42 | 50.00% | 30 | 50.00% | 40 | plateau | 60 | 70 |"), md);
        assertTrue(md.contains("| bn-x30 | bn-x30 | 42 | 50.00% | 20 | 60.00% | 30 |"), md);
        assertTrue(md.contains("| bn-x5-seed2 | bn-x5 | 43 | 45.00% | 10 | 50.00% |"), md);
        assertTrue(md.contains("| bn-x5-sigmoid | bn-x5-sigmoid | 42 | 50.00% | not reached | 15.00% |"), md);
        assertTrue(md.contains("`bn-x30` reaches the baseline's best accuracy in fewer steps than `inception`: "
                + "**held** (20 vs 30 steps"), md);
        assertTrue(md.contains("`bn-x5-sigmoid` reaches the baseline's best accuracy in fewer steps than "
                + "`inception`: **did not hold** (never vs 30 steps"), md);
        assertTrue(md.contains("`bn-x5-sigmoid` trains (paper: it does, 69.8%): it did not train: best 15.00%"), md);
        assertTrue(md.contains("`inception-sigmoid` does not train (paper: it stays at chance): it did not train"),
                md);
        assertTrue(md.contains("**Caution**: `inception-seed2` stopped by the step cap"), md);
        assertTrue(md.contains("74.8%"), "the paper's numbers are shown for comparison");
        assertTrue(md.contains("worst case"), "the plan is in the report: " + md);
    }

    @Test
    void theHeadlineRatioIsPerSeedAndTheirMean() {
        assertEquals(List.of(30 / 20.0, 40 / 10.0), Fig3Report.headlineRatios(result()));
        String md = Fig3Report.render(result(), "cmd");
        assertTrue(md.contains("- seed 42: 1.50×"), md);
        assertTrue(md.contains("- seed 43: 4.00×"), md);
        assertTrue(md.contains("- mean over 2 seed(s): 2.75×"), md);
    }
}
