package org.bn4j.inception.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CachedBatchesTest {

    private static final List<String> LABELS = List.of("horizontal", "square", "vertical");

    @TempDir
    Path dir;

    /** Grey images of the three test classes and colour images with distinct R, G, B, in a shuffled order. */
    private List<LabeledImage> images() throws IOException {
        TestImages.writeTree(dir.resolve("grey"), 3, 20, false, 1);
        List<LabeledImage> images = new ArrayList<>();
        for (String label : LABELS) {
            try (var files = Files.list(dir.resolve("grey").resolve(label))) {
                files.sorted().forEach(f -> images.add(new LabeledImage(f, label)));
            }
        }
        Random random = new Random(3);
        for (int n = 0; n < 4; n++) {
            String label = LABELS.get(n % 3);
            Path file = Files.createDirectories(dir.resolve("colour").resolve(label)).resolve("c" + n + ".png");
            BufferedImage image = new BufferedImage(24, 18, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 18; y++) {
                for (int x = 0; x < 24; x++) {
                    image.setRGB(x, y, random.nextInt(1 << 24));
                }
            }
            ImageIO.write(image, "png", file.toFile());
            images.add(new LabeledImage(file, label));
        }
        Collections.shuffle(images, new Random(5));
        return images;
    }

    private static void assertSameBatches(DataSetIterator expected, DataSetIterator actual) {
        int batches = 0;
        while (expected.hasNext()) {
            DataSet want = expected.next();
            DataSet got = actual.next();
            assertArrayEquals(want.getFeatures().shape(), got.getFeatures().shape());
            assertArrayEquals(want.getFeatures().data().asFloat(), got.getFeatures().data().asFloat(), 0f);
            assertArrayEquals(want.getLabels().shape(), got.getLabels().shape());
            assertArrayEquals(want.getLabels().data().asFloat(), got.getLabels().data().asFloat(), 0f);
            batches++;
        }
        assertFalse(actual.hasNext(), "the cached iterator has more batches than the record reader");
        assertEquals(true, batches > 1);
    }

    @Test
    void batchesEqualTheRecordReadersForGreyAndColourImagesResizedToOneOrThreeChannels() throws IOException {
        List<LabeledImage> images = images();
        for (ImageShape shape : List.of(new ImageShape(16, 16, 1), new ImageShape(12, 20, 3))) {
            ImageBatches batches = new ImageBatches(shape, LABELS);
            for (int pass = 0; pass < 2; pass++) { // the second pass comes from memory
                assertSameBatches(batches.recordReaderIterator(images, 4, null), batches.iterator(images, 4, null));
            }
            assertEquals(images.size(), batches.cache().decodes(), "every image decoded exactly once");
            assertEquals(images.size(), batches.cache().keptImages());
        }
    }

    @Test
    void beyondTheBudgetImagesAreDecodedOnEveryPassWithTheSameBatches() throws IOException {
        List<LabeledImage> images = images();
        ImageShape shape = new ImageShape(16, 16, 1);
        long twoImages = 2L * 4 * 16 * 16;
        ImageBatches bounded = new ImageBatches(shape, LABELS, twoImages);
        ImageBatches none = new ImageBatches(shape, LABELS, 0);
        for (int pass = 0; pass < 2; pass++) {
            assertSameBatches(bounded.recordReaderIterator(images, 5, null), bounded.iterator(images, 5, null));
            assertSameBatches(none.recordReaderIterator(images, 5, null), none.iterator(images, 5, null));
        }
        assertEquals(2, bounded.cache().keptImages());
        assertEquals(2 + 2 * (images.size() - 2), bounded.cache().decodes());
        assertEquals(0, none.cache().keptImages());
        assertEquals(2 * images.size(), none.cache().decodes());
    }

    @Test
    void resetStartsOverAndAnUnknownLabelIsAnError() throws IOException {
        List<LabeledImage> images = images();
        DataSetIterator iterator = new ImageBatches(new ImageShape(8, 8, 1), LABELS).iterator(images, 16, null);
        DataSet first = iterator.next();
        assertFalse(iterator.hasNext());
        iterator.reset();
        assertEquals(first.getFeatures(), iterator.next().getFeatures());
        List<LabeledImage> stray = List.of(new LabeledImage(images.get(0).file(), "cat"));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new ImageBatches(new ImageShape(8, 8, 1), LABELS).iterator(stray, 4, null));
        assertEquals(true, error.getMessage().contains("cat"));
    }
}
