package org.bn4j.inception.search;

import org.bn4j.inception.data.DataOptions;
import org.bn4j.inception.net.ConvolutionKind;
import org.bn4j.inception.net.Stem;
import org.bn4j.inception.recipe.RecipeCatalog;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A search stopped by an interruption or by its wall-time limit keeps every finished result. */
class StoppedSearchTest {

    @TempDir
    static Path shared;
    static SearchData data;

    @BeforeAll
    static void writeImages() throws Exception {
        Path images = TinyImageFolders.write(shared.resolve("images"), 12, 4);
        data = new SearchData(new DataOptions(images, 0.1, false, 0, 0, 42), "tiny", 16, 16, 0, 12);
    }

    private static InceptionSearch search(Path out, int epochs, double maxMinutes) {
        InceptionSearchSpace space = new InceptionSearchSpace.Builder()
                .learningRate(new FixedValue<>(0.01))
                .batchSize(new FixedValue<>(12))
                .widthMultiplier(new FixedValue<>(0.0625))
                .batchNorm(new FixedValue<>(false))
                .build();
        return new InceptionSearch(space, new CandidateTrainer(RecipeCatalog.bundled().get("bn-x5"), epochs,
                Stem.AUTO, 42, 20, ConvolutionKind.FAST, 1), data,
                new InceptionSearch.Settings(InceptionSearch.Method.RANDOM, 5, maxMinutes, 3, out, 42));
    }

    @Test
    void interruptionAfterTheFirstCandidateKeepsItsResultAndEndsTheSearch(@TempDir Path out) throws Exception {
        InceptionSearch search = search(out, 3, 0);
        Thread stopper = new Thread(() -> {
            try {
                while (!Files.isRegularFile(out.resolve(SearchResults.CSV))) {
                    Thread.sleep(20);
                }
                search.requestStop("interrupted");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stopper.start();
        InceptionSearch.Outcome outcome = search.run(new PrintStream(OutputStream.nullOutputStream()));
        stopper.join();

        assertEquals("interrupted", outcome.stopReason());
        List<CandidateRecord> records = outcome.records();
        assertTrue(records.size() <= 2, "records: " + records);
        assertEquals(CandidateRecord.Status.COMPLETED, records.get(0).status());
        if (records.size() == 2) {
            assertEquals(CandidateRecord.Status.STOPPED, records.get(1).status());
            assertNull(records.get(1).score());
        }
        assertEquals(records.size() + 1, Files.readAllLines(out.resolve(SearchResults.CSV)).size());
        assertTrue(Files.isRegularFile(out.resolve(SearchResults.PLOT_FILE)));
        assertTrue(Files.isRegularFile(outcome.bestModel()));
    }

    @Test
    void wallTimeLimitStopsTheRunningCandidateAndRecordsIt(@TempDir Path out) throws Exception {
        InceptionSearch.Outcome outcome = search(out, 50, 0.02).run(new PrintStream(OutputStream.nullOutputStream()));

        assertEquals("wall-time limit reached", outcome.stopReason());
        CandidateRecord last = outcome.records().get(outcome.records().size() - 1);
        assertEquals(CandidateRecord.Status.STOPPED, last.status());
        assertEquals("wall-time limit reached", last.message());
        assertTrue(last.seconds() < 30, "stopped after " + last.seconds() + " s");
        assertTrue(outcome.records().stream().noneMatch(CandidateRecord::scored));
    }
}
