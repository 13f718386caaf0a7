package org.bn4j.inception.cli;

import org.bn4j.inception.InceptionApp;
import org.bn4j.inception.data.TestImages;
import org.bn4j.inception.train.CheckpointStore;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.util.ModelSerializer;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 22, item 3: a diverging {@code train} stops at the first non-finite loss or weight with a clear message and
 * exit status 2, keeps the last good checkpoint, and non-finite option values are rejected when parsing.
 */
class TrainDivergenceTest {

    @TempDir
    static Path dir;

    private static Path data;

    @BeforeAll
    static void writeImages() throws IOException {
        data = dir.resolve("data");
        TestImages.writeTree(data, 4, 16, false, 5);
    }

    @Test
    void weightsThatTurnNaNStopTheRunAndTheLastGoodCheckpointIsKept() throws IOException {
        Path out = dir.resolve("nan-weights");
        StringWriter err = new StringWriter();
        // 9 training images / batch 3 = 3 iterations per epoch, a checkpoint after each; the weights turn NaN at 2
        assertEquals(InceptionApp.USER_ERROR, train(new NaNWeightsAt(2), err, out), err.toString());
        assertTrue(err.toString().contains("training diverged"), err.toString());
        assertTrue(err.toString().contains("--lr"), "a hint to lower the learning rate: " + err);
        assertTrue(err.toString().contains("at iteration 1, is intact"), err.toString());
        assertFalse(err.toString().contains("\tat "), "no stack trace: " + err);
        assertFinite(out.resolve(CheckpointStore.FILE_NAME));

        StringWriter resumed = new StringWriter();
        assertEquals(0, resume(resumed, out), "the kept checkpoint resumes: " + resumed);
    }

    @Test
    void aHugeLearningRateStopsWithAMessageInsteadOfAStackTrace() throws IOException {
        Path out = dir.resolve("huge-lr");
        StringWriter err = new StringWriter();
        assertEquals(InceptionApp.USER_ERROR, train(null, err, out, "--lr", "1e6"), err.toString());
        assertTrue(err.toString().contains("training diverged"), err.toString());
        if (Files.exists(out.resolve(CheckpointStore.FILE_NAME))) {
            assertFinite(out.resolve(CheckpointStore.FILE_NAME));
        }
        StringWriter resumed = new StringWriter();
        assertEquals(InceptionApp.USER_ERROR, resume(resumed, out), "resume diverges again, cleanly: " + resumed);
        assertFalse(resumed.toString().contains("\tat "), "no stack trace: " + resumed);
    }

    @Test
    void nonFiniteOptionValuesAreRejectedWhenParsing() {
        for (String value : List.of("Infinity", "NaN", "-Infinity")) {
            StringWriter err = new StringWriter();
            Path out = dir.resolve("never");
            assertEquals(InceptionApp.USER_ERROR, train(null, err, out, "--lr", value), err.toString());
            assertTrue(err.toString().contains("not a finite number"), err.toString());
            assertFalse(Files.exists(out), "nothing written");
        }
        StringWriter err = new StringWriter();
        assertEquals(InceptionApp.USER_ERROR, train(null, err, dir.resolve("never"), "--width", "NaN"));
        assertTrue(err.toString().contains("not a finite number"), err.toString());
    }

    private static void assertFinite(Path checkpoint) throws IOException {
        assertFalse(ModelSerializer.restoreComputationGraph(checkpoint.toFile(), true).params().isNaN().any(),
                "the checkpoint holds finite weights");
    }

    private static int train(BaseTrainingListener listener, StringWriter err, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--val-fraction", "0.25",
                "--epochs", "2", "--batch-size", "3", "--image-size", "16", "--width", "0.125", "--no-progress",
                "--checkpoint-every", "1", "--out", out.toString()));
        args.addAll(List.of(extra));
        CommandLine commandLine = InceptionApp.commandLine().setErr(new PrintWriter(err, true));
        if (listener != null) {
            TrainCommand train = commandLine.getSubcommands().get("train").getCommand();
            train.listeners.add(listener);
        }
        return commandLine.execute(args.toArray(new String[0]));
    }

    private static int resume(StringWriter err, Path out) {
        return InceptionApp.commandLine().setErr(new PrintWriter(err, true))
                .execute("train", "--out", out.toString(), "--resume", "--no-progress");
    }

    /** Sets every weight to NaN when the given iteration (1-based count) is done, as a diverging update would. */
    private static final class NaNWeightsAt extends BaseTrainingListener {
        private final int iteration;

        NaNWeightsAt(int iteration) {
            this.iteration = iteration;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            if (iteration + 1 == this.iteration) {
                model.params().assign(Double.NaN);
            }
        }
    }
}
