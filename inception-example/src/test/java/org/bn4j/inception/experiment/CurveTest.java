package org.bn4j.inception.experiment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Learning curves: summaries, CSV round trip and error bars. */
class CurveTest {

    @TempDir
    Path dir;

    @Test
    void smallEvaluationSetsGetBinomialErrorBars() {
        // p = 0.5 on 100 images: √(0.25/100) = 0.05; p = 0.9: √(0.09/100) = 0.03
        double[] errors = Curve.standardErrors(new double[] {0.5, 0.9}, 100);
        assertEquals(0.05, errors[0], 1e-12);
        assertEquals(0.03, errors[1], 1e-12);
    }

    @Test
    void curvesFindTheFirstStepAtAThresholdAndSurviveCsv() throws Exception {
        Curve curve = new Curve("c", List.of()).plus(0, 0.1).plus(10, 0.5).plus(20, 0.4).plus(30, 0.7);
        assertEquals(10, curve.stepsToReach(0.45).orElseThrow());
        assertTrue(curve.stepsToReach(0.8).isEmpty());
        assertEquals(0.7, curve.best());
        Path csv = dir.resolve("c.csv");
        Curve.writeCsv(csv, List.of(curve, new Curve("d", List.of(new Curve.Point(5, 1)))), "recipe", "acc");
        assertEquals("step,recipe,acc", Files.readAllLines(csv).get(0));
        List<Curve> back = Curve.readCsv(csv);
        assertEquals(curve, back.get(0));
        assertEquals(1.0, back.get(1).last());
    }
}
