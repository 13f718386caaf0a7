package org.bn4j.inception.cli;

import org.bn4j.inception.InceptionApp;
import org.bn4j.inception.data.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 24 at the command line: by default {@code train} checks files as it first reads them, skips the bad ones and
 * lists them in the run folder; {@code --strict} fails at the first one with a message and exit status 2.
 */
class BadFilesDuringTrainingTest {

    @TempDir
    Path dir;

    @Test
    void badFilesFoundDuringTrainingAreListedInTheRunFolderOrAnErrorWhenStrict() throws IOException {
        Path data = dir.resolve("data");
        TestImages.writeTree(data, 14, 16, false, 8);
        Path[] written = TestImages.writeBadFiles(data.resolve("square"));
        Path corrupt = Files.move(written[0], data.resolve("square/zz-corrupt.png"));   // beyond the scan's sample
        Path out = dir.resolve("run");
        StringWriter err = new StringWriter();
        assertEquals(0, train(err, out), err.toString());
        String listed = Files.readString(out.resolve("skipped-files.txt"));
        assertTrue(listed.contains(corrupt.toString()) && listed.contains(written[1].toString()), listed);

        StringWriter strictErr = new StringWriter();
        assertEquals(InceptionApp.USER_ERROR, train(strictErr, dir.resolve("strict"), "--strict"),
                strictErr.toString());
        assertTrue(strictErr.toString().contains("unreadable image file (--strict)"), strictErr.toString());
        assertFalse(strictErr.toString().contains("\tat "), "no stack trace: " + strictErr);
    }

    private static int train(StringWriter err, Path out, String... extra) {
        String[] base = {"train", "--data", "", "--val-fraction", "0.25", "--epochs", "1", "--batch-size", "8",
                "--image-size", "16", "--width", "0.125", "--no-progress", "--decode-threads", "2", "--out",
                out.toString()};
        base[2] = out.getParent().resolve("data").toString();
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return InceptionApp.commandLine().setErr(new PrintWriter(err, true)).execute(args);
    }
}
