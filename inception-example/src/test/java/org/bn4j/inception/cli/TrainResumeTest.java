package org.bn4j.inception.cli;

import org.bn4j.inception.InceptionApp;
import org.bn4j.inception.data.TestImages;
import org.bn4j.inception.train.CrashAtIteration;
import org.bn4j.inception.train.MetricsCsv;
import org.bn4j.inception.train.SavedModel;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code train --out DIR --resume} after a crash, with nothing else on the command line, continues the saved run with
 * all its settings (here a non-default recipe, batch size, image size and data folder) and ends with the metrics and
 * the model of the same run trained without interruption.
 */
class TrainResumeTest {

    @TempDir
    static Path dir;

    private static List<String> options;

    @BeforeAll
    static void writeImages() throws IOException {
        Path data = dir.resolve("data");
        TestImages.writeTree(data, 8, 16, false, 3);
        options = List.of("--recipe", "bn-x30", "--batch-size", "6", "--image-size", "16", "--data", data.toString(),
                "--val-fraction", "0.25", "--width", "0.125", "--dropout", "0", "--epochs", "2",
                "--checkpoint-every", "2", "--population-batches", "3", "--no-progress",
                "--data-cache", dir.resolve("cache").toString());
    }

    @Test
    void resumeWithOnlyOutAndResumeGivesTheMetricsOfAnUninterruptedRun() throws IOException {
        Path uninterrupted = dir.resolve("uninterrupted");
        assertEquals(0, train(null, withOut(uninterrupted)), "uninterrupted run");

        // 18 training images / batch 6 = 3 iterations per epoch; crash in epoch 2, after the checkpoint at iteration 4
        Path crashed = dir.resolve("crashed");
        assertEquals(1, train(new CrashAtIteration(5), withOut(crashed)), "the simulated crash fails the command");
        StringWriter err = new StringWriter();
        assertEquals(0, train(null, err, "--out", crashed.toString(), "--resume"), err.toString());

        assertEquals(metrics(uninterrupted), metrics(crashed));
        assertEquals(SavedModel.load(uninterrupted.resolve(SavedModel.FILE_NAME)).network().params(),
                SavedModel.load(crashed.resolve(SavedModel.FILE_NAME)).network().params());
    }

    @Test
    void anOptionThatContradictsTheSavedRunIsRejected() throws IOException {
        Path run = dir.resolve("contradicted");
        assertEquals(1, train(new CrashAtIteration(3), withOut(run)));
        StringWriter err = new StringWriter();
        assertEquals(InceptionApp.USER_ERROR, train(null, err, "--out", run.toString(), "--resume",
                "--batch-size", "8", "--recipe", "bn-x30"));
        assertTrue(err.toString().contains("--batch-size 8 (the saved run has --batch-size 6)"), err.toString());
        assertTrue(!err.toString().contains("--recipe"), "an option repeated with its saved value is fine: " + err);
    }

    private static String[] withOut(Path out) {
        List<String> args = new ArrayList<>(options);
        args.add("--out");
        args.add(out.toString());
        return args.toArray(new String[0]);
    }

    private static int train(BaseTrainingListener listener, String... args) {
        return train(listener, new StringWriter(), args);
    }

    private static int train(BaseTrainingListener listener, StringWriter err, String... args) {
        CommandLine commandLine = InceptionApp.commandLine().setErr(new PrintWriter(err, true));
        if (listener != null) {
            TrainCommand train = commandLine.getSubcommands().get("train").getCommand();
            train.listeners.add(listener);
        }
        List<String> all = new ArrayList<>(List.of("train"));
        all.addAll(List.of(args));
        return commandLine.execute(all.toArray(new String[0]));
    }

    /** metrics.csv without the timing columns (images/s, seconds). */
    private static List<String> metrics(Path run) throws IOException {
        List<String> rows = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve(MetricsCsv.FILE_NAME))) {
            String[] c = line.split(",");
            rows.add(String.join(",", c[0], c[1], c[2], c[4], c[5]));
        }
        return rows;
    }
}
