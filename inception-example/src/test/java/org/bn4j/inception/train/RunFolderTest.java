package org.bn4j.inception.train;

import org.bn4j.inception.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 22, items 4, 5 and 9 and the leftovers of killed writes: the output folder of a run is locked by the OS for
 * one writer, someone else's folder is refused, a file or unwritable path is a clear error.
 */
class RunFolderTest {

    @TempDir
    Path dir;

    @Test
    void aSecondWriterIsRefusedWhileTheFirstHoldsTheFolder() throws IOException {
        Path out = dir.resolve("run");
        try (RunFolder first = RunFolder.claim(out, false)) {
            UserError second = assertThrows(UserError.class, () -> RunFolder.claim(out, false));
            assertTrue(second.getMessage().contains("in use by another train run"), second.getMessage());
            assertTrue(second.getMessage().contains("pid " + ProcessHandle.current().pid()), second.getMessage());
        }
        RunFolder.claim(out, false).close();                       // released on close
    }

    @Test
    void anotherProcessHoldsTheLockUntilItIsKilledThenTheStaleLockIsTakenOver() throws Exception {
        Path out = dir.resolve("shared");
        Process holder = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                System.getProperty("java.class.path"), LockHolder.class.getName(), out.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            do {
                line = lines.readLine();
            } while (line != null && !line.equals("locked"));
            assertEquals("locked", line, "the other process took the lock");
            UserError refused = assertThrows(UserError.class, () -> RunFolder.claim(out, true));
            assertTrue(refused.getMessage().contains("pid " + holder.pid()), refused.getMessage());
        } finally {
            holder.destroyForcibly();                              // kill -9: no clean-up code runs
            holder.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(Files.readString(out.resolve(RunFolder.LOCK_FILE)).contains("pid " + holder.pid()),
                "the dead process's lock file is still there");
        try (RunFolder taken = RunFolder.claim(out, true)) {
            assertTrue(Files.readString(out.resolve(RunFolder.LOCK_FILE)).contains(
                    "pid " + ProcessHandle.current().pid()), "the stale lock is taken over");
        }
    }

    @Test
    void aFolderWithSomeoneElsesFilesIsRefusedAndLeftUntouched() throws IOException {
        Path mine = Files.createDirectories(dir.resolve("my-results"));
        Files.writeString(mine.resolve("metrics.csv"), "my numbers\n");
        Files.writeString(mine.resolve("run.json"), "{\"my\": \"run\"}\n");
        Files.writeString(mine.resolve("model.zip"), "my model\n");
        UserError refused = assertThrows(UserError.class, () -> RunFolder.claim(mine, false));
        assertTrue(refused.getMessage().contains("is not a bn4j run folder"), refused.getMessage());
        assertEquals(List.of("metrics.csv", "model.zip", "run.json"), list(mine), "nothing written or removed");
        assertEquals("my numbers\n", Files.readString(mine.resolve("metrics.csv")));
    }

    @Test
    void aFileOrAnUnwritablePathIsAClearError() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertTrue(assertThrows(UserError.class, () -> RunFolder.claim(file, false)).getMessage()
                .contains("is a file, not a folder"));
        UserError below = assertThrows(UserError.class, () -> RunFolder.claim(file.resolve("run"), false));
        assertTrue(below.getMessage().contains("cannot write to the --out folder"), below.getMessage());
    }

    @Test
    void resumingAFolderThatDoesNotExistIsAnError() {
        UserError missing = assertThrows(UserError.class, () -> RunFolder.claim(dir.resolve("typo"), true));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        assertFalse(Files.exists(dir.resolve("typo")));
    }

    @Test
    void temporaryFilesOfKilledWritesAreDeletedAndAnUnusedNewFolderIsRemoved() throws IOException {
        Path run = dir.resolve("run");
        RunFolder.claim(run, false).close();
        assertFalse(Files.exists(run), "a new folder that received nothing is removed");

        Files.createDirectories(run);
        Files.writeString(run.resolve("run.json"), "{}");
        Path leftover = Files.writeString(run.resolve(".checkpoint.zip123456.tmp"), "half a checkpoint");
        Files.writeString(run.resolve(CheckpointStore.FILE_NAME), "a checkpoint");
        try (RunFolder folder = RunFolder.claim(run, true)) {
            assertFalse(Files.exists(leftover), "deleted once the lock is held");
        }
        assertTrue(Files.exists(run.resolve(CheckpointStore.FILE_NAME)), "a folder the run did not create stays");
    }

    private static List<String> list(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Holds a run folder in another process until killed. */
    public static final class LockHolder {
        public static void main(String[] args) throws Exception {
            RunFolder.claim(Path.of(args[0]), false);
            System.out.println("locked");
            Thread.sleep(120_000);
        }
    }
}
