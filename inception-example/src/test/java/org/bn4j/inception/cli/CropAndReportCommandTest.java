package org.bn4j.inception.cli;

import org.bn4j.inception.InceptionApp;
import org.bn4j.inception.Json;
import org.bn4j.inception.data.TestImages;
import org.bn4j.inception.train.SavedModel;
import org.bn4j.inception.train.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 24 at the command line: a run trained with {@code --crop centre --random-resized-crop} saves its
 * preprocessing (and --normalize's statistics); {@code evaluate} and {@code predict} apply it, and {@code evaluate}
 * reports top-1 and top-k with the per-class and confusion CSVs.
 */
class CropAndReportCommandTest {

    @TempDir
    Path dir;

    @Test
    void aCentreCropRunIsEvaluatedWithItsCropAndReportsTopKAndTheConfusionMatrix() throws IOException {
        Path data = dir.resolve("data");
        TestImages.writeTree(data, 4, 20, true, 2);
        Path out = dir.resolve("run");
        StringWriter err = new StringWriter();
        assertEquals(0, InceptionApp.commandLine().setErr(new PrintWriter(err, true)).execute("train", "--data",
                data.toString(), "--val-fraction", "0.25", "--epochs", "1", "--batch-size", "3", "--image-size", "16",
                "--width", "0.125", "--no-progress", "--crop", "centre", "--random-resized-crop", "--normalize",
                "--out", out.toString()), err.toString());
        var preprocessing = Json.MAPPER.readTree(out.resolve(TrainingRun.MANIFEST_FILE).toFile()).path("preprocessing");
        assertEquals("centre", preprocessing.path("crop").asText());
        assertTrue(preprocessing.path("randomResizedCrop").asBoolean());
        assertEquals(3, preprocessing.path("mean").size(), "per-channel mean saved with the run");
        assertTrue(Json.MAPPER.readTree(out.resolve(TrainingRun.MANIFEST_FILE).toFile()).path("augment").asBoolean());

        PrintStream saved = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, InceptionApp.commandLine().setErr(new PrintWriter(err, true)).execute("evaluate",
                    "--model", out.resolve(SavedModel.FILE_NAME).toString(), "--data", data.toString(),
                    "--val-fraction", "0.25"), err.toString());
        } finally {
            System.setOut(saved);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("% top-1, 100.00% top-3 (3 images)"), "top-k capped at 3 classes: " + text);
        assertTrue(Files.readString(out.resolve(EvaluateCommand.CONFUSION_FILE)).startsWith("true \\ predicted,"),
                "the confusion matrix next to the model");
        assertEquals(4, Files.readAllLines(out.resolve(EvaluateCommand.PER_CLASS_FILE)).size(), "header + 3 classes");
        assertEquals(0, InceptionApp.commandLine().setErr(new PrintWriter(err, true)).execute("predict", "--model",
                out.resolve(SavedModel.FILE_NAME).toString(), data.resolve("square").toString()), err.toString());
    }
}
