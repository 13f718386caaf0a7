package org.bn4j.inception.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFolderDataTest {

    @TempDir
    Path dir;

    private static DataOptions options(Path root, boolean strict) {
        return new DataOptions(root, 0.25, strict, 0, 0, 7);
    }

    @Test
    void trainValLayoutIsReadWithSortedFolderLabels() throws IOException {
        TestImages.writeTree(dir.resolve("train"), 4, 16, false, 1);
        TestImages.writeTree(dir.resolve("val"), 2, 16, false, 2);
        ImageFolderData data = ImageFolderData.load(options(dir, false), "test");
        assertEquals(List.of("horizontal", "square", "vertical"), data.labels());
        assertEquals(12, data.train().size());
        assertEquals(6, data.val().size());
        assertEquals("train/val folders", data.provenance().layout());
    }

    @Test
    void oneTreeIsSplitPerClassBySeed() throws IOException {
        TestImages.writeTree(dir, 8, 16, false, 1);
        ImageFolderData data = ImageFolderData.load(options(dir, false), "test");
        assertEquals(18, data.train().size());
        assertEquals(6, data.val().size());
        Set<Path> train = data.train().stream().map(LabeledImage::file).collect(Collectors.toSet());
        assertTrue(data.val().stream().noneMatch(v -> train.contains(v.file())), "train and val overlap");
        assertEquals(data.val(), ImageFolderData.load(options(dir, false), "test").val());
    }

    @Test
    void corruptAndTextFilesAreSkippedAndListedOrRejectedWhenStrict() throws IOException {
        TestImages.writeTree(dir, 4, 16, false, 1);
        Path[] bad = TestImages.writeBadFiles(dir.resolve("square"));
        ImageFolderData data = ImageFolderData.load(options(dir, false), "test");
        assertEquals(List.of(bad[0].toString(), bad[1].toString()), data.provenance().skippedFiles());
        assertTrue(data.train().stream().noneMatch(i -> i.file().equals(bad[0]) || i.file().equals(bad[1])));
        InvalidDataException strict = assertThrows(InvalidDataException.class,
                () -> ImageFolderData.load(options(dir, true), "test"));
        assertTrue(strict.getMessage().contains("corrupt.png") && strict.getMessage().contains("notes.txt"),
                strict.getMessage());
    }

    @Test
    void emptyClassFolderIsAnError() throws IOException {
        TestImages.writeTree(dir, 4, 16, false, 1);
        Files.createDirectories(dir.resolve("empty-class"));
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> ImageFolderData.load(options(dir, false), "test"));
        assertTrue(e.getMessage().contains("empty-class"), e.getMessage());
    }

    @Test
    void differentTrainAndValClassesAreAnErrorNamingThem() throws IOException {
        TestImages.writeTree(dir.resolve("train"), 2, 16, false, 1);
        TestImages.writeClass(dir.resolve("val"), 0, 2, 16, false, 2);
        TestImages.writeClass(dir.resolve("val"), 1, 2, 16, false, 2);
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> ImageFolderData.load(options(dir, false), "test"));
        assertTrue(e.getMessage().contains("only in train [square]"), e.getMessage());
    }

    @Test
    void missingPathAndTrainWithoutValAreErrors() throws IOException {
        InvalidDataException missing = assertThrows(InvalidDataException.class,
                () -> ImageFolderData.load(options(dir.resolve("nowhere"), false), "test"));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        TestImages.writeTree(dir.resolve("train"), 2, 16, false, 1);
        InvalidDataException noVal = assertThrows(InvalidDataException.class,
                () -> ImageFolderData.load(options(dir, false), "test"));
        assertTrue(noVal.getMessage().contains("no val/"), noVal.getMessage());
    }

    @Test
    void imageCheckReportsTheChannelsOnDiskOfGreyAndColourImages() throws IOException {
        TestImages.writeClass(dir.resolve("grey"), 0, 1, 16, false, 1);
        TestImages.writeClass(dir.resolve("colour"), 0, 1, 16, true, 1);
        assertEquals(1, ImageFileCheck.check(dir.resolve("grey/horizontal/img000.png")).channels());
        assertEquals(3, ImageFileCheck.check(dir.resolve("colour/horizontal/img000.png")).channels());
        assertFalse(ImageFileCheck.check(dir.resolve("grey/horizontal")).readable());
    }

    @Test
    void limitsSampleEveryClassInProportion() throws IOException {
        TestImages.writeTree(dir.resolve("train"), 10, 16, false, 1);
        TestImages.writeTree(dir.resolve("val"), 4, 16, false, 2);
        ImageFolderData data = ImageFolderData.load(new DataOptions(dir, 0.1, false, 6, 3, 1), "test");
        assertEquals(6, data.train().size());
        assertEquals(3, data.val().size());
        assertEquals(Set.of(2), Set.copyOf(data.provenance().trainPerClass().values()));
    }

    @Test
    void colourImagesAreConvertedToGreyAndScaledToTheUnitInterval() throws IOException {
        TestImages.writeTree(dir, 2, 20, true, 1);
        ImageFolderData data = ImageFolderData.load(options(dir, false), "test");
        assertEquals(Set.of(3), data.provenance().channelCounts().keySet());
        DataSetIterator batches = new ImageBatches(ImageShape.square(16, 1), data.labels())
                .iterator(data.train(), 2, 5L);
        DataSet batch = batches.next();
        assertEquals(List.of(2L, 1L, 16L, 16L), List.of(batch.getFeatures().shape()[0], batch.getFeatures().shape()[1],
                batch.getFeatures().shape()[2], batch.getFeatures().shape()[3]));
        assertTrue(batch.getFeatures().minNumber().doubleValue() >= 0);
        assertTrue(batch.getFeatures().maxNumber().doubleValue() <= 1);
        assertFalse(batch.getFeatures().maxNumber().doubleValue() == 0);
        assertEquals(1.0, batch.getLabels().getRow(0).sumNumber().doubleValue());
    }
}
