package org.bn4j.inception.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bn4j.inception.InceptionApp;
import org.bn4j.inception.Json;
import org.bn4j.inception.data.TestImages;
import org.bn4j.inception.train.CheckpointStore;
import org.bn4j.inception.train.CrashAtIteration;
import org.bn4j.inception.train.SavedModel;
import org.bn4j.inception.train.StopRequest;
import org.bn4j.inception.train.TrainingRun;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 22's leftovers: Ctrl-C / SIGTERM during {@code train} saves a checkpoint on the way out; {@code --resume} after
 * the training images changed is refused; one-class data leaves no {@code --out} folder behind.
 */
class TrainLeftoversTest {

    @TempDir
    static Path dir;

    private static Path data;

    @BeforeAll
    static void writeImages() throws IOException {
        data = dir.resolve("data");
        TestImages.writeTree(data, 4, 16, false, 5);
    }

    @Test
    void aStopRequestMidEpochSavesACheckpointAtThatBatchAndTheRunResumesFromIt() throws Exception {
        Path out = dir.resolve("stopped");
        StopRequest stop = new StopRequest();
        StringWriter err = new StringWriter();
        // 9 training images / batch 3 = 3 iterations per epoch, checkpoints only every 100: the stop saves iteration 2
        int status = train(new RequestStopAt(2, stop), stop, err, out);
        assertEquals(InceptionApp.USER_ERROR, status, err.toString());
        assertTrue(err.toString().contains("training stopped (interrupted) at iteration 2"), err.toString());
        assertTrue(err.toString().contains("--resume"), err.toString());
        assertTrue(stop.awaitStopped(Duration.ZERO), "the hook waiting for the checkpoint is released");
        assertEquals(2, new CheckpointStore(out).load().orElseThrow().state().batchesDone(),
                "the checkpoint is of the batch the stop came in");

        StringWriter resumed = new StringWriter();
        assertEquals(0, resume(resumed, out), resumed.toString());
        assertTrue(Files.isRegularFile(out.resolve(SavedModel.FILE_NAME)));
    }

    @Test
    void theShutdownHookRequestsTheStopAndWaitsForTheCheckpoint() throws Exception {
        ShutdownCheckpoint shutdown = new ShutdownCheckpoint(new PrintStream(new ByteArrayOutputStream()));
        try {
            Thread trainingLoop = new Thread(() -> {
                while (shutdown.request().reason() == null) {
                    Thread.onSpinWait();
                }
                sleep(200);                                          // the rest of the batch and the checkpoint
                shutdown.request().markStopped();
            });
            trainingLoop.start();
            long start = System.nanoTime();
            shutdown.stopAndWait(new PrintStream(new ByteArrayOutputStream()));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals("interrupted", shutdown.request().reason());
            assertTrue(seconds >= 0.19 && seconds < 5, "the hook waited for the checkpoint: " + seconds + " s");
            trainingLoop.join();
        } finally {
            shutdown.close();                                          // unregisters the hook
        }
    }

    @Test
    void resumeAfterTheTrainingImagesChangedIsRefusedAndAnOldManifestStillResumes() throws IOException {
        Path changedData = dir.resolve("changed-data");
        TestImages.writeTree(changedData, 4, 16, false, 5);
        Path run = dir.resolve("changed");
        assertEquals(1, trainOn(changedData, new CrashAtIteration(2), new StringWriter(), run));
        Path oldRun = dir.resolve("old-manifest");
        assertEquals(1, trainOn(changedData, new CrashAtIteration(2), new StringWriter(), oldRun));
        String fingerprint = Json.MAPPER.readTree(run.resolve(TrainingRun.MANIFEST_FILE).toFile())
                .path("data").path("trainFingerprint").asText();
        assertTrue(fingerprint.startsWith("sha256:"), "run.json records the fingerprint: " + fingerprint);

        try (Stream<Path> files = Files.walk(changedData)) {             // images replaced: same names, new times
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5000));
            }
        }
        StringWriter err = new StringWriter();
        assertEquals(InceptionApp.USER_ERROR, resume(err, run), err.toString());
        assertTrue(err.toString().contains("the training images changed"), err.toString());
        assertFalse(err.toString().contains("\tat "), "no stack trace: " + err);

        Path manifest = oldRun.resolve(TrainingRun.MANIFEST_FILE);   // as written before the fingerprint existed
        ObjectNode json = (ObjectNode) Json.MAPPER.readTree(manifest.toFile());
        ((ObjectNode) json.get("data")).remove("trainFingerprint");
        Json.MAPPER.writeValue(manifest.toFile(), json);
        StringWriter resumed = new StringWriter();
        assertEquals(0, resume(resumed, oldRun), resumed.toString());
    }

    @Test
    void oneClassDataIsAClearErrorAndLeavesNoOutFolder() throws IOException {
        Path oneClass = dir.resolve("one-class");
        TestImages.writeClass(oneClass, 0, 6, 16, false, 1);
        Path out = dir.resolve("one-class-run");
        StringWriter err = new StringWriter();
        assertEquals(InceptionApp.USER_ERROR, trainOn(oneClass, null, err, out), err.toString());
        assertTrue(err.toString().contains("need at least 2 classes"), err.toString());
        assertFalse(Files.exists(out), "no empty --out left behind: " + (Files.exists(out) ? list(out) : ""));

        Path parent = dir.resolve("runs-not-yet-there");                 // --out runs/one-class with no runs/ yet
        StringWriter nested = new StringWriter();
        assertEquals(InceptionApp.USER_ERROR, trainOn(oneClass, null, nested, parent.resolve("one-class")));
        assertFalse(Files.exists(parent), "no empty parent folder left behind either");
    }

    private static List<String> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static int train(TrainingListener listener, StopRequest stop, StringWriter err, Path out) {
        CommandLine commandLine = commandLine(err);
        TrainCommand train = commandLine.getSubcommands().get("train").getCommand();
        train.listeners.add(listener);
        train.stopRequest = stop;
        return commandLine.execute(arguments(data, out));
    }

    private static int trainOn(Path images, TrainingListener listener, StringWriter err, Path out) {
        CommandLine commandLine = commandLine(err);
        if (listener != null) {
            TrainCommand train = commandLine.getSubcommands().get("train").getCommand();
            train.listeners.add(listener);
        }
        return commandLine.execute(arguments(images, out));
    }

    private static String[] arguments(Path images, Path out) {
        List<String> args = new ArrayList<>(List.of("train", "--data", images.toString(), "--val-fraction", "0.25",
                "--epochs", "1", "--batch-size", "3", "--image-size", "16", "--width", "0.125", "--no-progress",
                "--checkpoint-every", "100", "--out", out.toString()));
        if (!out.getFileName().toString().equals("stopped")) {
            args.set(args.indexOf("100"), "1");
        }
        return args.toArray(new String[0]);
    }

    private static int resume(StringWriter err, Path out) {
        return commandLine(err).execute("train", "--out", out.toString(), "--resume", "--no-progress");
    }

    private static CommandLine commandLine(StringWriter err) {
        return InceptionApp.commandLine().setErr(new PrintWriter(err, true));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Requests the stop when the given iteration (1-based count) is done, as the shutdown hook would on Ctrl-C. */
    private static final class RequestStopAt extends BaseTrainingListener {
        private final int iteration;
        private final StopRequest stop;

        RequestStopAt(int iteration, StopRequest stop) {
            this.iteration = iteration;
            this.stop = stop;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            if (iteration + 1 == this.iteration) {
                stop.request("interrupted");
            }
        }
    }
}
