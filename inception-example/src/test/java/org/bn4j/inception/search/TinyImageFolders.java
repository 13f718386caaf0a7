package org.bn4j.inception.search;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Writes a tiny ImageNet-style folder tree for search tests: {@code train/} and {@code val/}, three classes of 16×16
 * grey PNGs told apart by where a bright bar lies (top rows, left columns, diagonal), with noise.
 */
final class TinyImageFolders {

    static final int SIZE = 16;
    static final String[] CLASSES = {"bar-top", "bar-left", "diagonal"};

    private TinyImageFolders() {
    }

    /** Writes {@code perClassTrain} + {@code perClassVal} images per class under {@code root}; returns root. */
    static Path write(Path root, int perClassTrain, int perClassVal) throws IOException {
        Random random = new Random(1);
        for (String split : new String[]{"train", "val"}) {
            int count = split.equals("train") ? perClassTrain : perClassVal;
            for (int c = 0; c < CLASSES.length; c++) {
                Path dir = Files.createDirectories(root.resolve(split).resolve(CLASSES[c]));
                for (int i = 0; i < count; i++) {
                    ImageIO.write(image(c, random), "png", dir.resolve(i + ".png").toFile());
                }
            }
        }
        return root;
    }

    private static BufferedImage image(int label, Random random) {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                boolean bright = switch (label) {
                    case 0 -> y < 4;
                    case 1 -> x < 4;
                    default -> Math.abs(x - y) < 2;
                };
                int value = (bright ? 200 : 40) + random.nextInt(40);
                image.getRaster().setSample(x, y, 0, value);
            }
        }
        return image;
    }
}
