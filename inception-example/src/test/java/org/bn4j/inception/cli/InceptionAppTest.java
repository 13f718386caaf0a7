package org.bn4j.inception.cli;

import org.bn4j.inception.InceptionApp;
import org.bn4j.inception.data.TestImages;
import org.bn4j.inception.train.SavedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line: train, evaluate and predict on a generated folder; user errors as exit status 2 with a message,
 * internal errors with their stack trace.
 */
class InceptionAppTest {

    @TempDir
    Path dir;

    private int run(StringWriter err, String... args) {
        return InceptionApp.commandLine().setErr(new PrintWriter(err, true)).execute(args);
    }

    @Test
    void trainEvaluateAndPredictOnAGeneratedFolder() throws IOException {
        Path data = dir.resolve("data");
        TestImages.writeTree(data, 6, 16, true, 1);
        Path out = dir.resolve("out");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "train", "--data", data.toString(), "--val-fraction", "0.34", "--epochs", "1",
                "--batch-size", "6", "--image-size", "16", "--width", "0.125", "--out", out.toString(),
                "--no-progress", "--lr", "0.01"), err.toString());
        assertTrue(Files.isRegularFile(out.resolve(SavedModel.FILE_NAME)));
        assertEquals(3, SavedModel.load(out.resolve(SavedModel.FILE_NAME)).manifest().network().channels(),
                "colour images should give a 3-channel network");
        String model = out.resolve(SavedModel.FILE_NAME).toString();
        assertEquals(0, run(err, "evaluate", "--model", model, "--data", data.toString(), "--val-fraction", "0.34"),
                err.toString());
        assertEquals(0, run(err, "predict", "--model", model, "--top-k", "2", data.resolve("square").toString()),
                err.toString());
    }

    @Test
    void userErrorsExitWithStatusTwoAndAMessage() throws IOException {
        StringWriter err = new StringWriter();
        assertEquals(InceptionApp.USER_ERROR, run(err, "train", "--data", dir.resolve("missing").toString(),
                "--out", dir.resolve("out").toString()));
        assertTrue(err.toString().contains("does not exist"), err.toString());

        TestImages.writeTree(dir.resolve("data"), 2, 16, false, 1);
        StringWriter unknown = new StringWriter();
        assertEquals(InceptionApp.USER_ERROR, run(unknown, "train", "--recipe", "bn-x500", "--data",
                dir.resolve("data").toString()));
        assertTrue(unknown.toString().contains("known recipes"), unknown.toString());

        StringWriter noModel = new StringWriter();
        assertEquals(InceptionApp.USER_ERROR, run(noModel, "predict", "--model", dir.resolve("none.zip").toString(),
                dir.toString()));
        assertTrue(noModel.toString().contains("does not exist"), noModel.toString());
        for (StringWriter message : new StringWriter[] {err, unknown, noModel}) {
            assertFalse(message.toString().contains("\tat "), "a user error has no stack trace: " + message);
        }
    }

    @Test
    void anInternalErrorPrintsItsStackTraceAndIsNotReportedAsAUserError() {
        // An IllegalStateException/IllegalArgumentException from a bug is not the user's mistake.
        for (RuntimeException bug : new RuntimeException[] {
                new IllegalStateException("invariant broken"), new IllegalArgumentException("bad internal argument")}) {
            StringWriter err = new StringWriter();
            CommandLine commandLine = InceptionApp.commandLine().addSubcommand("bug", new Bug(bug));
            int status = commandLine.setErr(new PrintWriter(err, true)).execute("bug");
            assertNotEquals(0, status);
            assertNotEquals(InceptionApp.USER_ERROR, status, err.toString());
            assertTrue(err.toString().contains(bug.getClass().getName() + ": " + bug.getMessage()), err.toString());
            assertTrue(err.toString().contains("\tat "), "stack trace expected: " + err);
        }
    }

    @CommandLine.Command(name = "bug")
    private static final class Bug implements java.util.concurrent.Callable<Integer> {
        private final RuntimeException exception;

        Bug(RuntimeException exception) {
            this.exception = exception;
        }

        @Override
        public Integer call() {
            throw exception;
        }
    }
}
