package org.bn4j.inception.data;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes small synthetic image folders for tests: three easily told-apart classes (horizontal stripes, vertical
 * stripes, a bright centre square) with noise, as grey or colour PNGs.
 */
public final class TestImages {

    /** Class folder names written by {@link #writeClass}. */
    public static final String[] CLASSES = {"horizontal", "vertical", "square"};

    private TestImages() {
    }

    /** Writes {@code count} images of class {@code label} (index into {@link #CLASSES}) to {@code dir/<class>}. */
    public static void writeClass(Path dir, int label, int count, int size, boolean colour, long seed)
            throws IOException {
        Path classDir = Files.createDirectories(dir.resolve(CLASSES[label]));
        Random random = new Random(seed + 31L * label);
        for (int n = 0; n < count; n++) {
            BufferedImage image = new BufferedImage(size, size,
                    colour ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
            int phase = random.nextInt(4);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean on = switch (label) {
                        case 0 -> ((y + phase) / 2) % 2 == 0;
                        case 1 -> ((x + phase) / 2) % 2 == 0;
                        default -> Math.abs(x - size / 2) < size / 4 && Math.abs(y - size / 2) < size / 4;
                    };
                    int grey = Math.max(0, Math.min(255, (on ? 200 : 40) + (int) (random.nextGaussian() * 20)));
                    image.getRaster().setPixel(x, y, colour ? new int[]{grey, grey, grey} : new int[]{grey});
                }
            }
            ImageIO.write(image, "png", classDir.resolve(String.format("img%03d.png", n)).toFile());
        }
    }

    /** Writes a tree {@code dir/<class>/*} with {@code perClass} images of each of the three classes. */
    public static void writeTree(Path dir, int perClass, int size, boolean colour, long seed) throws IOException {
        for (int label = 0; label < CLASSES.length; label++) {
            writeClass(dir, label, perClass, size, colour, seed);
        }
    }

    /** Writes a truncated PNG and a text file into {@code classDir}; returns the two paths. */
    public static Path[] writeBadFiles(Path classDir) throws IOException {
        Path corrupt = classDir.resolve("corrupt.png");
        byte[] png = Files.readAllBytes(Files.list(classDir).filter(p -> p.toString().endsWith(".png"))
                .findFirst().orElseThrow());
        Files.write(corrupt, java.util.Arrays.copyOf(png, 20));
        Path text = classDir.resolve("notes.txt");
        Files.writeString(text, "this is not an image\n");
        return new Path[]{corrupt, text};
    }
}
