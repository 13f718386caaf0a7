package org.bn4j.inception.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 22, items 1 and 2: a truncated image is unreadable (never decoded into undefined pixels), and a 16-bit image
 * reaches the network on the same [0, 1] scale as its 8-bit version.
 */
class DamagedAndDeepImagesTest {

    @TempDir
    Path dir;

    @Test
    void aJpegCutInHalfIsUnreadableThoughOpenCvDecodesIt() throws IOException {
        Path whole = writeJpeg(dir.resolve("whole.jpg"));
        Path half = truncate(whole, dir.resolve("half.jpg"));
        assertTrue(ImageFileCheck.check(whole).readable(), "the whole JPEG is fine");
        ImageFileCheck.Result result = ImageFileCheck.check(half);
        assertFalse(result.readable(), "a JPEG cut in half must not be fed to the network");
        assertTrue(result.problem().contains("truncated"), result.problem());
    }

    @Test
    void aPngCutInHalfIsUnreadable() throws IOException {
        Path whole = dir.resolve("whole.png");
        ImageIO.write(picture(BufferedImage.TYPE_BYTE_GRAY, 1), "png", whole.toFile());
        assertFalse(ImageFileCheck.check(truncate(whole, dir.resolve("half.png"))).readable());
    }

    @Test
    void aTruncatedJpegInTheDataIsSkippedAndListedOrAnErrorWhenStrict() throws IOException {
        Path root = dir.resolve("data");
        TestImages.writeTree(root, 4, 16, false, 2);
        Path half = truncate(writeJpeg(dir.resolve("whole.jpg")), root.resolve("square").resolve("half.jpg"));

        ImageFolderData data = ImageFolderData.load(new DataOptions(root, 0.25, false, 0, 0, 7), "test");
        assertEquals(List.of(half.toString()), data.provenance().skippedFiles());
        InvalidDataException strict = assertThrows(InvalidDataException.class,
                () -> ImageFolderData.load(new DataOptions(root, 0.25, true, 0, 0, 7), "test"));
        assertTrue(strict.getMessage().contains("half.jpg"), strict.getMessage());
    }

    @Test
    void sixteenBitAndEightBitVersionsOfAPictureGiveTheSameNetworkInput() throws IOException {
        BufferedImage eight = picture(BufferedImage.TYPE_BYTE_GRAY, 3);
        BufferedImage sixteen = new BufferedImage(eight.getWidth(), eight.getHeight(), BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < eight.getHeight(); y++) {
            for (int x = 0; x < eight.getWidth(); x++) {
                sixteen.getRaster().setSample(x, y, 0, eight.getRaster().getSample(x, y, 0) * 257);
            }
        }
        Path classDir = Files.createDirectories(dir.resolve("grey"));
        Path file8 = classDir.resolve("eight.png");
        Path file16 = classDir.resolve("sixteen.png");
        ImageIO.write(eight, "png", file8.toFile());
        ImageIO.write(sixteen, "png", file16.toFile());

        ImageShape shape = new ImageShape(16, 16, 1);
        DecodedImageCache cache = new DecodedImageCache(shape, 0);
        assertArrayEquals(cache.pixels(file8), cache.pixels(file16), "cached path: same pixels");

        ImageBatches batches = new ImageBatches(shape, List.of("grey"), 0);
        List<LabeledImage> both = List.of(new LabeledImage(file8, "grey"), new LabeledImage(file16, "grey"));
        for (DataSetIterator iterator : List.of(batches.iterator(both, 2, null),
                batches.recordReaderIterator(both, 2, null))) {
            INDArray features = iterator.next().getFeatures();
            assertEquals(features.slice(0), features.slice(1), "the same picture, the same input");
        }
        // augmented: a new random transform per image, so only the scale is compared
        DataSet augmented = batches.recordReaderIterator(both, 2, 5L).next();
        assertTrue(augmented.getFeatures().maxNumber().doubleValue() <= 1.0, "scaled to [0, 1]");
    }

    private static Path writeJpeg(Path file) throws IOException {
        ImageIO.write(picture(BufferedImage.TYPE_INT_RGB, 4), "jpg", file.toFile());
        return file;
    }

    private static Path truncate(Path whole, Path half) throws IOException {
        byte[] bytes = Files.readAllBytes(whole);
        Files.write(half, Arrays.copyOf(bytes, bytes.length / 2));
        return half;
    }

    /** A 48 × 48 picture with structure and noise, so that compressed files have many bytes of image data. */
    private static BufferedImage picture(int type, long seed) {
        BufferedImage image = new BufferedImage(48, 48, type);
        Random random = new Random(seed);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 48; x++) {
                int grey = (x * 5 + y * 3 + random.nextInt(40)) & 0xff;
                image.getRaster().setPixel(x, y, type == BufferedImage.TYPE_INT_RGB
                        ? new int[]{grey, 255 - grey, (x * y) & 0xff} : new int[]{grey});
            }
        }
        return image;
    }
}
