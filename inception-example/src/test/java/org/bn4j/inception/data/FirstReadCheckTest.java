package org.bn4j.inception.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 24: with {@code checkOnFirstRead} the scan does not decode every file; bad files are found when first read,
 * left out of their batch and listed ({@code --strict}: an error at the first one); several decode threads give the
 * batches of one.
 */
class FirstReadCheckTest {

    @TempDir
    Path dir;

    @Test
    void badFilesAreFoundWhenFirstReadSkippedAndListed() throws IOException {
        TestImages.writeTree(dir, 12, 16, false, 4);
        Path[] written = TestImages.writeBadFiles(dir.resolve("vertical"));
        Path[] bad = {Files.move(written[0], dir.resolve("vertical/zz-corrupt.png")), written[1]}; // not sampled
        ImageFolderData data = ImageFolderData.load(new DataOptions(dir, 0.25, false, 0, 0, 7, true), "test");
        assertEquals(List.of(), data.provenance().skippedFiles(), "nothing decoded beyond the sample");
        int listed = data.train().size() + data.val().size();
        assertEquals(3 * 12 + 2, listed, "the bad files are listed as images until read");

        ImageBatches batches = new ImageBatches(ImageShape.square(16, 1), data.labels(), 0).checking(data.badFiles());
        int images = count(batches.iterator(data.train(), 5, null)) + count(batches.iterator(data.val(), 5, null));
        assertEquals(3 * 12, images, "every good image, no bad one");
        assertEquals(List.of(bad[1], bad[0]), data.badFiles().found().stream().map(ImageFileCheck.Result::file)
                .toList());

        ImageFolderData strict = ImageFolderData.load(new DataOptions(dir, 0.25, true, 0, 0, 7, true), "test");
        ImageBatches strictBatches = new ImageBatches(ImageShape.square(16, 1), data.labels(), 0)
                .checking(strict.badFiles());
        List<LabeledImage> all = new ArrayList<>(strict.train());
        all.addAll(strict.val());
        InvalidDataException error = assertThrows(InvalidDataException.class,
                () -> count(strictBatches.iterator(all, 5, null)));
        assertTrue(error.getMessage().contains("--strict"), error.getMessage());
    }

    @Test
    void severalDecodeThreadsGiveTheBatchesOfOne() throws IOException {
        TestImages.writeTree(dir, 5, 20, true, 6);
        ImageFolderData data = ImageFolderData.load(new DataOptions(dir, 0.25, false, 0, 0, 7, true), "test");
        ImageShape shape = ImageShape.square(16, 3);
        ImageBatches one = new ImageBatches(shape, data.labels(), 0);
        ImageBatches three = new ImageBatches(shape, data.labels(), 0).decodeThreads(3);
        assertEquals(all(one.iterator(data.train(), 4, null)), all(three.iterator(data.train(), 4, null)));
        ImageBatches two = new ImageBatches(shape, data.labels(), 0).decodeThreads(2);
        assertEquals(all(two.iterator(data.train(), 4, 5L)), all(three.iterator(data.train(), 4, 5L)),
                "augmented: each image's own seed, whatever the thread count");
    }

    private static int count(DataSetIterator iterator) {
        int n = 0;
        while (iterator.hasNext()) {
            n += iterator.next().numExamples();
        }
        return n;
    }

    private static List<List<Object>> all(DataSetIterator iterator) {
        List<List<Object>> batches = new ArrayList<>();
        while (iterator.hasNext()) {
            DataSet batch = iterator.next();
            batches.add(List.of(batch.getFeatures().dup(), batch.getLabels().dup()));
        }
        return batches;
    }
}
