package org.bn4j.inception.cli;

import org.bn4j.inception.experiment.Curve;
import org.bn4j.inception.experiment.Fig1Experiment;
import org.bn4j.inception.experiment.Fig1Report;
import org.bn4j.inception.monitor.PercentileRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Fig1CommandTest {

    @TempDir
    Path dir;

    @Test
    void quickRunWritesCurvesPercentilesPlotsAndAReport() throws Exception {
        Path out = dir.resolve("fig1");
        int status = new CommandLine(new ExperimentCommand()).execute("fig1", "--quick", "--out", out.toString(),
                "--fashion-mnist-dir", dir.resolve("no-debian-copy").toString()); // forces the bundled sample
        assertEquals(0, status);

        List<Curve> curves = Curve.readCsv(out.resolve("fig1-accuracy.csv"));
        assertEquals(List.of(Fig1Experiment.WITHOUT_BN, Fig1Experiment.WITH_BN, Fig1Experiment.WITH_BN_ALGORITHM_2),
                curves.stream().map(Curve::name).toList());
        for (Curve curve : curves) {
            assertEquals(List.of(0L, 100L, 200L, 300L), curve.points().stream().map(Curve.Point::step).toList());
            curve.points().forEach(p -> assertTrue(p.value() >= 0 && p.value() <= 1, "an accuracy"));
            assertTrue(curve.last() > 0.3, curve.name() + " learned something: " + curve.last());
        }

        for (String arm : List.of("without-bn", "with-bn")) {
            List<PercentileRecord> records = PercentileRecord.readCsv(out.resolve("fig1-percentiles-" + arm + ".csv"));
            assertEquals(List.of("sigmoid3:0", "sigmoid1", "sigmoid2", "sigmoid3"),
                    records.stream().map(PercentileRecord::target).distinct().toList());
            assertEquals(List.of(0L, 50L, 100L, 150L, 200L, 250L, 300L),
                    records.stream().map(PercentileRecord::step).distinct().toList());
            records.forEach(r -> assertTrue(r.values()[0] <= r.values()[1] && r.values()[1] <= r.values()[2]));
        }
        for (String png : List.of("fig1a-accuracy.png", "fig1b-without-bn.png", "fig1c-with-bn.png",
                "fig1-percentiles-without-bn.png", "fig1-percentiles-with-bn.png")) {
            assertNotNull(ImageIO.read(out.resolve(png).toFile()), png + " is a readable image");
        }

        String report = Files.readString(out.resolve(Fig1Report.FILE));
        assertTrue(report.contains("bundled"), "names the data source");
        assertTrue(report.contains("![Figure 1(a)](fig1a-accuracy.png)"));
        assertTrue(report.contains("| `sigmoid3:0` | with BN |"));
        assertEquals(3, report.split("\\*\\*(held|did not hold)\\*\\*", -1).length - 1, "a verdict per claim");
        assertTrue(report.contains("smoke test"), "a quick run says it is no evidence");
        assertTrue(report.contains("| step | without BN | with BN, moving averages | with BN, Algorithm 2 |"), report);
        assertTrue(report.contains("in training time"), "steps and wall-clock time: " + report);
        assertTrue(report.contains("This compares medians only"), report);
    }
}
