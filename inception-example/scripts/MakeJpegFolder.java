import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Random;

/**
 * Writes an ImageNet-style folder of N JPEGs for scaling measurements (issue 24; the folder is not committed):
 * {@code java inception-example/scripts/MakeJpegFolder.java N DIR [CLASSES] [CORRUPT]}.
 *
 * <p>DIR/class&lt;c&gt;/img&lt;k&gt;.jpg, N files over CLASSES classes (default 2): colour, sizes from 160x120 to
 * 640x480 in both orientations, class 0 with horizontal stripes and class 1.. with vertical ones (noise on top).
 * 40 distinct pictures per class are drawn and copied (the decoding cost is what matters, not distinct content), so
 * 20,000 files take seconds. CORRUPT (default 5) files are truncated to 200 bytes; their paths are printed.
 */
public final class MakeJpegFolder {

    private static final int[][] SIZES = {{160, 120}, {120, 160}, {320, 240}, {240, 320}, {640, 480}, {480, 640},
            {400, 300}, {300, 400}};
    private static final int BASES = 40;

    public static void main(String[] args) throws IOException {
        int n = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]);
        int classes = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int corrupt = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        int perClass = n / classes;
        Random random = new Random(1);
        for (int c = 0; c < classes; c++) {
            Path classDir = Files.createDirectories(dir.resolve("class" + c));
            Path[] bases = new Path[BASES];
            for (int b = 0; b < BASES; b++) {
                bases[b] = classDir.resolve(String.format("img%06d.jpg", b));
                ImageIO.write(picture(c, SIZES[b % SIZES.length], random), "jpg", bases[b].toFile());
            }
            for (int k = BASES; k < perClass; k++) {
                Files.copy(bases[k % BASES], classDir.resolve(String.format("img%06d.jpg", k)),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
        for (int i = 0; i < corrupt; i++) {
            Path file = dir.resolve("class" + (i % classes)).resolve(String.format("img%06d.jpg",
                    BASES + (i * 7919) % (perClass - BASES)));
            byte[] bytes = Files.readAllBytes(file);
            Files.write(file, Arrays.copyOf(bytes, 200));
            System.out.println("corrupt: " + file);
        }
        System.out.println("wrote " + classes * perClass + " files in " + dir);
    }

    private static BufferedImage picture(int label, int[] size, Random random) {
        BufferedImage image = new BufferedImage(size[0], size[1], BufferedImage.TYPE_INT_RGB);
        int period = 8 + random.nextInt(24);
        for (int y = 0; y < size[1]; y++) {
            for (int x = 0; x < size[0]; x++) {
                boolean on = ((label == 0 ? y : x) / period) % 2 == 0;
                int base = on ? 200 : 50;
                int r = clamp(base + (int) (random.nextGaussian() * 25) + label * 20);
                int g = clamp(base + (int) (random.nextGaussian() * 25));
                int b = clamp(255 - base + (int) (random.nextGaussian() * 25));
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return image;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
