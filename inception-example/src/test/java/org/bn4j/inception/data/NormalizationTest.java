package org.bn4j.inception.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.api.DataSet;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Issue 24: per-channel mean/std from training images, applied to every batch, by hand on two flat images. */
class NormalizationTest {

    @TempDir
    Path dir;

    @Test
    void twoFlatImagesOfPixelOneAndPointTwoHaveMeanPointSixStdPointFourAndBecomePlusMinusOne() throws IOException {
        List<LabeledImage> images = List.of(flat("a", 255), flat("b", 51));
        ImageBatches plain = new ImageBatches(ImageShape.square(8, 1), List.of("a", "b"), 0);
        double[][] statistics = plain.channelStatistics(images, 10, 2);
        assertArrayEquals(new double[]{0.6}, statistics[0], 1e-6);
        assertArrayEquals(new double[]{0.4}, statistics[1], 1e-6);

        ImagePreprocessing normalized = ImagePreprocessing.DEFAULT.withStatistics(statistics[0], statistics[1]);
        DataSet batch = new ImageBatches(ImageShape.square(8, 1), List.of("a", "b"), 0, normalized)
                .iterator(images, 2, null).next();
        assertEquals(1.0, batch.getFeatures().getDouble(0, 0, 3, 3), 1e-5);
        assertEquals(-1.0, batch.getFeatures().getDouble(1, 0, 3, 3), 1e-5);
    }

    private LabeledImage flat(String label, int grey) throws IOException {
        Path file = Files.createDirectories(dir.resolve(label)).resolve("flat.png");
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                image.getRaster().setPixel(x, y, new int[]{grey});
            }
        }
        ImageIO.write(image, "png", file.toFile());
        return new LabeledImage(file, label);
    }
}
