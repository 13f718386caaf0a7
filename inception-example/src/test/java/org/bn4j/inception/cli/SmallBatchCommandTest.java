package org.bn4j.inception.cli;

import org.bn4j.inception.experiment.Curve;
import org.bn4j.inception.experiment.SmallBatchReport;
import org.bn4j.inception.experiment.SmallBatchSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmallBatchCommandTest {

    @TempDir
    Path dir;

    /** Smoke size: batch sizes 2 and 4, one epoch of 8 bundled-sample images, every variant. */
    @Test
    void smokeRunTrainsEveryVariantAndWritesCurvesAndReport() throws Exception {
        Path out = dir.resolve("small");
        int status = new CommandLine(new ExperimentCommand()).execute("small-batch", "--out", out.toString(),
                "--batch-sizes", "2,4", "--epochs", "1", "--train-limit", "8", "--val-limit", "4", "--width",
                "0.0625", "--data-cache", dir.resolve("cache").toString(),
                "--fashion-mnist-dir", dir.resolve("no-debian-copy").toString());
        assertEquals(0, status);

        List<Curve> curves = Curve.readCsv(out.resolve("small-batch.csv"));
        assertEquals(List.of("bn-2", "renorm-2", "ghost-2", "bn-4", "renorm-4"),
                curves.stream().map(Curve::name).toList());
        for (Curve curve : curves) {
            // one point, after the epoch: the same images seen whatever the batch size (the sample keeps one
            // image of each of the 10 classes at least)
            assertEquals(1, curve.points().size(), curve.name());
            assertTrue(curve.points().get(0).step() >= 8, curve.name() + ": images seen");
            assertEquals(curves.get(0).points().get(0).step(), curve.points().get(0).step(), curve.name());
            assertTrue(curve.last() >= 0 && curve.last() <= 1, curve.name());
        }
        String renormRun = Files.readString(out.resolve("runs/renorm-2/run.json"));
        assertTrue(renormRun.contains("\"batchRenorm\" : true"), renormRun);
        String ghostRun = Files.readString(out.resolve("runs/ghost-2/run.json"));
        assertTrue(ghostRun.contains("\"ghostBatchSize\" : 2"), ghostRun);
        String report = Files.readString(out.resolve(SmallBatchReport.FILE));
        assertTrue(report.contains("| 2 |") && report.contains("| 4 |"), report);
        assertTrue(report.contains("ghost batches of B in 4"), report);
        assertTrue(report.contains("Did Ioffe 2017's observation hold here?"), report);
    }

    @Test
    void renormScheduleIsThePapersScaledToTheRun() {
        var schedule = SmallBatchSettings.renormSchedule(800);
        assertEquals(100, schedule.getWarmup());
        assertEquals(500, schedule.getDMaxAt());
        assertEquals(800, schedule.getRMaxAt());
        assertEquals(3.0, schedule.getRMax());
        assertEquals(5.0, schedule.getDMax());
    }
}
