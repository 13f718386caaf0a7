package org.bn4j.inception.experiment;

import org.bn4j.inception.Csv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Top-1, top-5, per-class accuracy and the confusion matrix on a hand-checked example of 4 answers, 7 classes. */
class ClassificationCountsTest {

    @TempDir
    Path dir;

    @Test
    void topFiveCountsTheTrueClassAmongTheFiveMostProbable() throws IOException {
        ClassificationCounts counts = new ClassificationCounts(List.of("a", "b", "c", "d", "e", "f", "g"), 5);
        counts.add(0, new double[]{0.3, 0.25, 0.2, 0.1, 0.05, 0.05, 0.05});    // first: top-1 and top-5
        counts.add(6, new double[]{0.3, 0.2, 0.15, 0.12, 0.1, 0.08, 0.05});    // last of 7: neither
        counts.add(4, new double[]{0.05, 0.3, 0.25, 0.2, 0.1, 0.05, 0.05});    // 4th: top-5 only
        counts.add(2, new double[]{0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.4});        // tie, lower index first: 4th
        assertEquals(0.25, counts.top1());
        assertEquals(0.75, counts.topK());
        assertEquals(1.0, counts.classAccuracy(0));
        assertEquals(0.0, counts.classAccuracy(6));
        assertTrue(Double.isNaN(counts.classAccuracy(1)), "no image of class b");
        assertEquals(1, counts.count(6, 0));
        assertEquals(1, counts.count(4, 1));
        assertEquals(1, counts.count(2, 6));

        counts.writeConfusion(dir.resolve("confusion.csv"));
        List<List<String>> rows = Csv.read(dir.resolve("confusion.csv"));
        assertEquals(List.of("true \\ predicted", "a", "b", "c", "d", "e", "f", "g"), rows.get(0));
        assertEquals(List.of("c", "0", "0", "0", "0", "0", "0", "1"), rows.get(3));
        counts.writePerClass(dir.resolve("per-class.csv"));
        assertEquals(List.of("a", "1", "1", "1.000000"), Csv.read(dir.resolve("per-class.csv")).get(1));
    }
}
