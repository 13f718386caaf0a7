package org.bn4j.inception.data;

import org.datavec.api.io.labels.ParentPathLabelGenerator;
import org.datavec.api.split.CollectionInputSplit;
import org.datavec.image.recordreader.ImageRecordReader;
import org.datavec.image.transform.CropImageTransform;
import org.datavec.image.transform.FlipImageTransform;
import org.datavec.image.transform.PipelineImageTransform;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 24: the aspect-preserving crops on images of known content, and the default path without the new options
 * giving exactly the batches of the code before them.
 */
class CropTest {

    @TempDir
    Path dir;

    @Test
    void theCentreCropOfA4To3ImageTakesTheCentreSquare() throws IOException {
        Path file = gradient(dir.resolve("wide.png"), 40, 30);
        float[] pixels = new DecodedImageCache(ImageShape.square(30, 1), 0, CropTransform.centre(1.0)).pixels(file);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 30; x++) {
                assertEquals(value(x + 5, y), pixels[y * 30 + x], 0, "pixel " + x + "," + y);
            }
        }
        assertEquals(new CropWindow(5, 0, 30, 30), CropWindow.centre(40, 30, 1.0));
        assertEquals(new CropWindow(7, 2, 26, 26), CropWindow.centre(40, 30, 0.875), "26 = round(0.875 x 30)");
        assertEquals(new CropWindow(0, 5, 30, 30), CropWindow.centre(30, 40, 1.0), "a 3:4 image alike");
    }

    @Test
    void theRandomResizedCropStaysInsideTheImageAndCoversTheConfiguredAreaRange() {
        Random random = new Random(1);
        for (int[] size : new int[][]{{193, 130}, {2592, 1944}, {130, 193}, {16, 16}}) {
            double smallest = 1;
            double largest = 0;
            for (int n = 0; n < 2000; n++) {
                CropWindow w = CropWindow.randomResized(size[0], size[1], 0.08, 1, random);
                assertTrue(w.x() >= 0 && w.y() >= 0 && w.width() >= 1 && w.height() >= 1
                        && w.x() + w.width() <= size[0] && w.y() + w.height() <= size[1], w + " inside " + size[0]
                        + "x" + size[1]);
                double share = (double) w.width() * w.height() / (size[0] * size[1]);
                double ratio = (double) w.width() / w.height();
                assertTrue(share >= 0.05 && share <= 1, "area share " + share);
                assertTrue(size[0] < 100 || ratio >= 0.74 && ratio <= 1.35, "aspect ratio " + ratio); // 16 px: rounding
                smallest = Math.min(smallest, share);
                largest = Math.max(largest, share);
            }
            assertTrue(smallest < 0.12 && largest > 0.8, "covers the range: " + smallest + ".." + largest);
        }
    }

    @Test
    void theTrainingCropFlipsAboutHalfOfTheImagesLeftToRight() throws IOException {
        Path file = gradient(dir.resolve("square.png"), 20, 20);
        int flipped = 0;
        int kept = 0;
        Random random = new Random(3);
        for (int n = 0; n < 20; n++) {    // area 1 of a square image: the whole image, flipped or not
            float[] pixels = new DecodedImageCache(ImageShape.square(20, 1), 0,
                    CropTransform.randomResized(1.0, random)).pixels(file);
            boolean same = true;
            boolean mirrored = true;
            for (int y = 0; y < 20; y++) {
                for (int x = 0; x < 20; x++) {
                    same &= pixels[y * 20 + x] == value(x, y);
                    mirrored &= pixels[y * 20 + x] == value(19 - x, y);
                }
            }
            assertTrue(same || mirrored, "the image or its mirror image");
            flipped += mirrored ? 1 : 0;
            kept += same ? 1 : 0;
        }
        assertTrue(flipped >= 4 && kept >= 4, flipped + " flipped, " + kept + " kept");
    }

    @Test
    void withoutTheNewOptionsTheBatchesAreExactlyTheOldOnes() throws IOException {
        Path tree = dir.resolve("tree");
        TestImages.writeTree(tree, 3, 24, true, 9);
        List<String> labels = List.of(TestImages.CLASSES);
        List<LabeledImage> images = new ArrayList<>();
        try (Stream<Path> files = Files.walk(tree)) {
            files.filter(Files::isRegularFile).sorted().forEach(f -> images.add(new LabeledImage(f,
                    f.getParent().getFileName().toString())));
        }
        ImageShape shape = ImageShape.square(16, 3);
        ImageBatches batches = new ImageBatches(shape, labels);
        ImageBatches checked = new ImageBatches(shape, labels).checking(new BadImageFiles(false)); // first-read check
        for (Long seed : new Long[]{null, 77L}) {
            assertEquals(all(before(shape, labels, images, seed)), all(batches.iterator(images, 4, seed)),
                    "seed " + seed);
            assertEquals(all(before(shape, labels, images, seed)), all(checked.iterator(images, 4, seed)),
                    "files checked on first read, seed " + seed);
        }
    }

    /** The batches as the code before issue 24 built them: DataVec's record reader, --augment's crop and flip. */
    private static DataSetIterator before(ImageShape shape, List<String> labels, List<LabeledImage> images,
                                          Long seed) throws IOException {
        ImageRecordReader reader = new ImageRecordReader(shape.height(), shape.width(), shape.channels(),
                new ParentPathLabelGenerator());
        List<URI> locations = images.stream().map(i -> i.file().toUri()).toList();
        PipelineImageTransform augmentation = null;
        if (seed != null) {
            Random random = new Random(seed);
            int crop = Math.max(1, Math.min(shape.height(), shape.width()) / 8);
            augmentation = new PipelineImageTransform(random, seed, List.of(
                    new Pair<>(new CropImageTransform(random, crop), 1.0),
                    new Pair<>(new FlipImageTransform(1), 0.5)), false);
        }
        reader.initialize(new CollectionInputSplit(locations), augmentation);
        reader.setLabels(labels);
        RecordReaderDataSetIterator iterator = new RecordReaderDataSetIterator(reader, 4, 1, labels.size());
        iterator.setPreProcessor(new ImagePreProcessingScaler(0, 1));
        return iterator;
    }

    private static List<List<Object>> all(DataSetIterator iterator) {
        List<List<Object>> batches = new ArrayList<>();
        while (iterator.hasNext()) {
            DataSet batch = iterator.next();
            batches.add(List.of(batch.getFeatures().dup(), batch.getLabels().dup()));
        }
        return batches;
    }

    private static float value(int x, int y) {
        return x * 5 + y;
    }

    private static Path gradient(Path file, int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.getRaster().setPixel(x, y, new int[]{(int) value(x, y)});
            }
        }
        ImageIO.write(image, "png", file.toFile());
        return file;
    }
}
