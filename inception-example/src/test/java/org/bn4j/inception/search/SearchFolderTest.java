package org.bn4j.inception.search;

import org.bn4j.inception.InceptionApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 22, item 6: {@code search} into the folder of an earlier search (or anyone's files) is refused. */
class SearchFolderTest {

    @TempDir
    Path dir;

    @Test
    void aSearchIntoAnEarlierSearchFolderIsRefusedAndTheOldResultsStay() throws IOException {
        Path out = dir.resolve("search");
        Files.createDirectories(out.resolve(InceptionSearch.BEST_DIR));
        Files.writeString(out.resolve(SearchResults.CSV), "old results\n");
        Files.writeString(out.resolve(InceptionSearch.BEST_DIR).resolve("model.zip"), "old best");
        StringWriter err = new StringWriter();
        int exit = InceptionApp.commandLine().setErr(new PrintWriter(err, true))
                .execute("search", "--out", out.toString(), "--data", dir.resolve("no-data").toString());
        assertEquals(InceptionApp.USER_ERROR, exit, err.toString());
        assertTrue(err.toString().contains("already holds a search"), err.toString());
        assertEquals("old results\n", Files.readString(out.resolve(SearchResults.CSV)));
    }

    @Test
    void aNonEmptyFolderOrAFileIsRefused() throws IOException {
        Files.writeString(Files.createDirectories(dir.resolve("mine")).resolve("notes.txt"), "mine");
        assertTrue(run("mine").contains("is not empty (it holds notes.txt)"));
        Files.writeString(dir.resolve("file"), "x");
        assertTrue(run("file").contains("is a file"));
    }

    private String run(String out) {
        StringWriter err = new StringWriter();
        assertEquals(InceptionApp.USER_ERROR, InceptionApp.commandLine().setErr(new PrintWriter(err, true))
                .execute("search", "--out", dir.resolve(out).toString(), "--data", dir.toString()), err.toString());
        return err.toString();
    }
}
