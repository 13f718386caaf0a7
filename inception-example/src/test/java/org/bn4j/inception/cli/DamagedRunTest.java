package org.bn4j.inception.cli;

import org.bn4j.inception.InceptionApp;
import org.bn4j.inception.data.TestImages;
import org.bn4j.inception.train.CheckpointStore;
import org.bn4j.inception.train.CrashAtIteration;
import org.bn4j.inception.train.SavedModel;
import org.bn4j.inception.train.TrainingRun;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 22, items 7 and 8 and the weak spots of predict: a damaged checkpoint, run.json or model.zip is a clear error
 * naming the file (exit 2) or, for a damaged latest checkpoint, a resume from the previous one; predict refuses
 * nothing-to-do and {@code --top-k 0}, and gives a 16-bit picture the prediction of its 8-bit version.
 */
class DamagedRunTest {

    @TempDir
    static Path dir;

    private static Path data;
    private static Path crashed;
    private static Path model;

    @BeforeAll
    static void trainAndCrash() throws IOException {
        data = dir.resolve("data");
        TestImages.writeTree(data, 4, 16, false, 11);
        Path finished = dir.resolve("finished");
        assertEquals(0, train(null, new StringWriter(), finished));
        model = finished.resolve(SavedModel.FILE_NAME);
        crashed = dir.resolve("crashed");
        // 9 training images / batch 3 = 3 iterations per epoch, a checkpoint after each; crash at iteration 3
        assertEquals(1, train(new CrashAtIteration(3), new StringWriter(), crashed));
        assertTrue(Files.exists(crashed.resolve(CheckpointStore.PREVIOUS_FILE_NAME)), "the previous one is kept");
    }

    @Test
    void aTruncatedLatestCheckpointResumesFromThePreviousOne() throws IOException {
        Path run = copy(crashed, "truncated-checkpoint");
        truncate(run.resolve(CheckpointStore.FILE_NAME));
        StringWriter err = new StringWriter();
        assertEquals(0, resume(err, run), err.toString());
        assertTrue(Files.isRegularFile(run.resolve(SavedModel.FILE_NAME)));
    }

    @Test
    void anEmptyCheckpointWithoutAPreviousOneIsAClearError() throws IOException {
        Path run = copy(crashed, "empty-checkpoint");
        Files.write(run.resolve(CheckpointStore.FILE_NAME), new byte[0]);
        Files.delete(run.resolve(CheckpointStore.PREVIOUS_FILE_NAME));
        StringWriter err = new StringWriter();
        assertEquals(InceptionApp.USER_ERROR, resume(err, run));
        assertTrue(err.toString().contains(CheckpointStore.FILE_NAME + " is damaged"), err.toString());
        assertTrue(err.toString().contains("start over"), err.toString());
        assertFalse(err.toString().contains("\tat "), "no stack trace: " + err);
    }

    @Test
    void aTruncatedOrMissingRunJsonIsAClearErrorBeforeAnyDataIsLoaded() throws IOException {
        Path truncated = copy(crashed, "truncated-manifest");
        truncate(truncated.resolve(TrainingRun.MANIFEST_FILE));
        StringWriter err = new StringWriter();
        assertEquals(InceptionApp.USER_ERROR, resume(err, truncated));
        assertTrue(err.toString().contains("run.json is damaged"), err.toString());

        Path missing = copy(crashed, "missing-manifest");
        Files.delete(missing.resolve(TrainingRun.MANIFEST_FILE));
        PrintStream console = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            err = new StringWriter();
            assertEquals(InceptionApp.USER_ERROR, resume(err, missing));
        } finally {
            System.setOut(console);
        }
        assertTrue(err.toString().contains("run.json is missing"), err.toString());
        assertFalse(printed.toString(StandardCharsets.UTF_8).contains("data:"), "no data loaded: " + printed);
    }

    @Test
    void aModelWithFlippedBytesIsAClearErrorNamingTheFile() throws IOException {
        Path damaged = dir.resolve("damaged-model.zip");
        byte[] bytes = Files.readAllBytes(model);
        for (int i = bytes.length / 3; i < bytes.length / 3 + 8; i++) {
            bytes[i] ^= 0x5a;
        }
        Files.write(damaged, bytes);
        for (String command : List.of("evaluate", "predict")) {
            StringWriter err = new StringWriter();
            List<String> args = new ArrayList<>(List.of(command, "--model", damaged.toString()));
            args.addAll(command.equals("evaluate") ? List.of("--data", data.toString()) : List.of(data.toString()));
            assertEquals(InceptionApp.USER_ERROR, run(err, args.toArray(new String[0])), command + ": " + err);
            assertTrue(err.toString().contains(damaged + " is damaged"), err.toString());
        }
    }

    @Test
    void predictRefusesNothingToPredictAndTopKZero() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        StringWriter err = new StringWriter();
        assertEquals(InceptionApp.USER_ERROR, run(err, "predict", "--model", model.toString(), empty.toString()));
        assertTrue(err.toString().contains("nothing to predict"), err.toString());
        err = new StringWriter();
        assertEquals(InceptionApp.USER_ERROR, run(err, "predict", "--model", model.toString(), "--top-k", "0",
                data.toString()));
        assertTrue(err.toString().contains("--top-k"), err.toString());
    }

    @Test
    void aSixteenBitPictureGetsThePredictionOfItsEightBitVersion() throws IOException {
        Path eight = Files.list(data.resolve("square")).sorted().findFirst().orElseThrow();
        BufferedImage image = ImageIO.read(eight.toFile());
        BufferedImage deep = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                deep.getRaster().setSample(x, y, 0, image.getRaster().getSample(x, y, 0) * 257);
            }
        }
        Path sixteen = dir.resolve("sixteen.png");
        ImageIO.write(deep, "png", sixteen.toFile());
        String predicted8 = predict(eight);
        String predicted16 = predict(sixteen);
        assertEquals(predicted8.substring(predicted8.indexOf(':')), predicted16.substring(predicted16.indexOf(':')));
    }

    private static String predict(Path image) {
        PrintStream console = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, run(new StringWriter(), "predict", "--model", model.toString(), "--top-k", "3",
                    image.toString()));
        } finally {
            System.setOut(console);
        }
        return printed.toString(StandardCharsets.UTF_8).trim();
    }

    private static int train(BaseTrainingListener listener, StringWriter err, Path out) {
        CommandLine commandLine = InceptionApp.commandLine().setErr(new PrintWriter(err, true));
        if (listener != null) {
            TrainCommand train = commandLine.getSubcommands().get("train").getCommand();
            train.listeners.add(listener);
        }
        return commandLine.execute("train", "--data", data.toString(), "--val-fraction", "0.25", "--epochs", "2",
                "--batch-size", "3", "--image-size", "16", "--width", "0.125", "--no-progress",
                "--checkpoint-every", "1", "--out", out.toString());
    }

    private static int resume(StringWriter err, Path out) {
        return run(err, "train", "--out", out.toString(), "--resume", "--no-progress");
    }

    private static int run(StringWriter err, String... args) {
        return InceptionApp.commandLine().setErr(new PrintWriter(err, true)).execute(args);
    }

    private static void truncate(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
    }

    private static Path copy(Path run, String name) throws IOException {
        Path target = Files.createDirectories(dir.resolve(name));
        try (Stream<Path> files = Files.list(run)) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
        return target;
    }
}
