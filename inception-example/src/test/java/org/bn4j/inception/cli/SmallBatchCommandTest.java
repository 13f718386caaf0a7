package org.bn4j.inception.cli;

import org.bn4j.inception.InceptionApp;
import org.bn4j.inception.experiment.Curve;
import org.bn4j.inception.experiment.SmallBatchExperiment;
import org.bn4j.inception.experiment.SmallBatchReport;
import org.bn4j.inception.experiment.SmallBatchSettings;
import org.bn4j.inception.train.SavedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmallBatchCommandTest {

    /** Smoke size: mini-batch 4, micro-batches of 2, one epoch of 8 bundled-sample images. */
    private static final List<String> RUNS = List.of("bn-4", "ghost-2", "ghost-renorm-2", "bn-2", "renorm-2");

    @TempDir
    Path dir;

    private int experiment(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("experiment", "small-batch", "--out", out.toString(), "--mini-batch", "4",
                "--micro-batches", "2", "--epochs", "1", "--small-batch-epochs", "1", "--train-limit", "8",
                "--val-limit", "4", "--width", "0.0625", "--data-cache", dir.resolve("cache").toString(),
                "--fashion-mnist-dir", dir.resolve("no-debian-copy").toString()));
        args.addAll(List.of(more));
        return InceptionApp.commandLine().execute(args.toArray(String[]::new));
    }

    /**
     * One smoke run checks every run's configuration, curves and report; then the same experiment interrupted
     * during its last run (before its first checkpoint) and resumed trains only that run and ends with the same
     * curves and report.
     */
    @Test
    void smokeRunTrainsEveryRunAndAResumedRunRepeatsNoneAndReportsTheSame() throws Exception {
        Path whole = dir.resolve("whole");
        assertEquals(0, experiment(whole));

        List<Curve> curves = Curve.readCsv(whole.resolve("small-batch.csv"));
        assertEquals(RUNS, curves.stream().map(Curve::name).toList());
        assertEquals(RUNS, SmallBatchExperiment.runNames(new SmallBatchSettings(4, List.of(2), 1, 1, 28, 0.0625, 8,
                4, 42, org.bn4j.inception.net.ConvolutionKind.FAST)));
        for (Curve curve : curves) {
            // one point, after the epoch: the same images seen whatever the batch size
            assertEquals(1, curve.points().size(), curve.name());
            assertEquals(curves.get(0).points().get(0).step(), curve.points().get(0).step(), curve.name());
            assertTrue(curve.last() >= 0 && curve.last() <= 1, curve.name());
        }
        // primary runs: mini-batch 4; the micro-batch runs normalize over 2, renorm and ghost batches together
        assertRun(whole, "bn-4", 4, false, 0);
        assertRun(whole, "ghost-2", 4, false, 2);
        assertRun(whole, "ghost-renorm-2", 4, true, 2);
        // secondary runs: true mini-batches of 2
        assertRun(whole, "bn-2", 2, false, 0);
        assertRun(whole, "renorm-2", 2, true, 0);

        String report = Files.readString(whole.resolve(SmallBatchReport.FILE));
        assertTrue(report.contains("## Primary: normalization over micro-batches, mini-batch 4, the same "),
                report);
        assertTrue(report.contains("| 2 | "), report);
        assertTrue(report.contains("Did Ioffe 2017's observation hold here?"), report);
        assertTrue(report.contains("`ghost-2` ") && report.contains("(`ghost-renorm-B`)"), report);
        assertTrue(report.contains("## Secondary (a different question)"), report);

        // the same folder again without --resume is refused, and nothing is overwritten
        assertEquals(InceptionApp.USER_ERROR, experiment(whole));

        // interrupted during renorm-2, before its first checkpoint: the other runs are done
        Path resumed = dir.resolve("resumed");
        copyTree(whole, resumed);
        deleteTree(resumed.resolve("runs").resolve("renorm-2"));
        Files.delete(resumed.resolve(SmallBatchReport.FILE));
        Files.delete(resumed.resolve("small-batch.csv"));
        FileTime bnModel = Files.getLastModifiedTime(resumed.resolve("runs/bn-4").resolve(SavedModel.FILE_NAME));
        FileTime ghostResult = Files.getLastModifiedTime(resultFile(resumed, "ghost-2"));

        assertEquals(0, experiment(resumed, "--resume"));
        // done runs are not trained again
        assertEquals(bnModel, Files.getLastModifiedTime(resumed.resolve("runs/bn-4").resolve(SavedModel.FILE_NAME)));
        assertEquals(ghostResult, Files.getLastModifiedTime(resultFile(resumed, "ghost-2")));
        for (String run : RUNS) {
            assertTrue(Files.exists(resultFile(resumed, run)), run);
        }
        assertEquals(curves, Curve.readCsv(resumed.resolve("small-batch.csv")));
        assertEquals(withoutTime(report, whole), withoutTime(Files.readString(resumed.resolve(SmallBatchReport.FILE)),
                resumed));

        // a resume with other settings is refused
        assertEquals(InceptionApp.USER_ERROR, experiment(resumed, "--resume", "--epochs", "2"));
    }

    private static void assertRun(Path out, String run, int miniBatch, boolean renorm, int ghost) throws IOException {
        String manifest = Files.readString(out.resolve("runs").resolve(run).resolve("run.json"));
        assertTrue(manifest.contains("\"batchSize\" : " + miniBatch), run + ": " + manifest);
        assertTrue(manifest.contains("\"batchRenorm\" : " + renorm), run + ": " + manifest);
        assertTrue(manifest.contains("\"ghostBatchSize\" : " + ghost), run + ": " + manifest);
        assertTrue(Files.exists(resultFile(out, run)), run);
    }

    private static Path resultFile(Path out, String run) {
        return out.resolve("runs").resolve(run).resolve(SmallBatchExperiment.RESULT_FILE);
    }

    /** The report without its training-time line, with the output folder replaced by a placeholder. */
    private static String withoutTime(String report, Path out) {
        return report.lines().filter(line -> !line.startsWith(SmallBatchReport.TIME_LINE))
                .map(line -> line.replace(out.toString(), "OUT")).collect(Collectors.joining("\n"));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
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

    @Test
    void defaultsAreThePapersMiniBatchAndMicroBatchesWithStepsForBn32() {
        SmallBatchSettings s = SmallBatchSettings.defaults();
        assertEquals(32, s.miniBatch());
        assertEquals(List.of(4, 8), s.microBatches());
        assertEquals(400, SmallBatchSettings.steps(s.epochs(), 32, s.trainLimit()));
        assertTrue(s.valLimit() >= 1000);
        assertEquals(List.of("bn-32", "ghost-4", "ghost-renorm-4", "ghost-8", "ghost-renorm-8", "bn-4", "renorm-4",
                "bn-8", "renorm-8"), SmallBatchExperiment.runNames(s));
        assertFalse(SmallBatchExperiment.runNames(new SmallBatchSettings(32, List.of(4), 2, 0, 28, 0.125, 6400,
                1000, 42, s.convolution())).contains("bn-4"), "0 small-batch epochs: no secondary runs");
    }
}
