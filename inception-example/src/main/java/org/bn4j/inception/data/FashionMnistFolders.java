package org.bn4j.inception.data;

import org.bn4j.inception.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;

import java.util.stream.Stream;

/**
 * The default data set: Fashion-MNIST (Xiao et al. 2017, 28×28 grey, 10 classes) exported once into an
 * ImageNet-style tree {@code <cache>/<name>/{train,val}/<class>/<index>.png} (train = the 60k training set, val = the
 * 10k test set).
 *
 * <p>Source: Debian's {@code dataset-fashion-mnist} package ({@code apt-get install dataset-fashion-mnist}, files in
 * {@value #DEBIAN_DIR}) when installed, otherwise the sample bundled in this jar (first 400 training and 100 test
 * images of each class, written by {@code inception-example/scripts/make-fashion-mnist-sample.py}). The export is
 * written to a temporary folder and renamed, so an interrupted export is redone, never half-used.
 */
public final class FashionMnistFolders {

    /** Where Debian's dataset-fashion-mnist package installs the IDX files. */
    public static final String DEBIAN_DIR = "/usr/share/datasets/fashion-mnist";
    /** Class names in label order 0–9, as folder names. */
    public static final List<String> CLASS_NAMES = List.of("0-tshirt-top", "1-trouser", "2-pullover", "3-dress",
            "4-coat", "5-sandal", "6-shirt", "7-sneaker", "8-bag", "9-ankle-boot");

    private static final Logger log = LoggerFactory.getLogger(FashionMnistFolders.class);
    private static final String SAMPLE_RESOURCE = "/org/bn4j/inception/fashion-mnist-sample/";
    private static final String PROVENANCE_FILE = "source.json";

    /** An exported tree and a sentence on where it came from. */
    public record Prepared(Path root, String source) {
    }

    /** What {@value #PROVENANCE_FILE} in an export records. */
    public record Source(String description, int trainImages, int valImages) {
    }

    private FashionMnistFolders() {
    }

    /** The cached tree, exporting it first from the Debian files or, without them, from the bundled sample. */
    public static Prepared prepare(Path cacheDir, Path debianDir) {
        boolean debian = hasDebianCopy(debianDir);
        Path root = cacheDir.resolve(debian ? "fashion-mnist-debian" : "fashion-mnist-sample");
        try {
            if (!Files.isRegularFile(root.resolve(PROVENANCE_FILE))) {
                log.info("exporting Fashion-MNIST to {} (once)", root);
                export(root, files(debianDir), debian
                        ? "Fashion-MNIST (full) from Debian package dataset-fashion-mnist, " + debianDir
                        : "Fashion-MNIST sample bundled with bn4j (dataset-fashion-mnist is not installed)");
            }
            Source source = Json.read(root.resolve(PROVENANCE_FILE), Source.class);
            return new Prepared(root, source.description() + ": " + source.trainImages() + " train / "
                    + source.valImages() + " val images, cached in " + root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot export Fashion-MNIST to " + root, e);
        }
    }

    /** True when {@code debianDir} holds Debian's copy (its training images, at least). */
    public static boolean hasDebianCopy(Path debianDir) {
        return Files.isRegularFile(debianDir.resolve("train-images-idx3-ubyte.gz"));
    }

    /** The IDX files of the Debian copy in {@code debianDir} when it has one, else of the bundled sample. */
    public static IdxSource files(Path debianDir) {
        return hasDebianCopy(debianDir) ? new DebianFiles(debianDir) : new BundledSample();
    }

    /** Opens the four IDX files of a Fashion-MNIST copy. */
    public interface IdxSource {
        /** Opens one gzipped IDX file by name, e.g. {@code train-images-idx3-ubyte.gz}. */
        InputStream open(String fileName) throws IOException;

        /** The images and labels of a split ({@code train} or {@code t10k}), checked to be as many. */
        default Split read(String prefix) throws IOException {
            IdxImages images;
            byte[] labels;
            try (InputStream in = open(prefix + "-images-idx3-ubyte.gz")) {
                images = IdxImages.readImages(in);
            }
            try (InputStream in = open(prefix + "-labels-idx1-ubyte.gz")) {
                labels = IdxImages.readLabels(in);
            }
            if (labels.length != images.count()) {
                throw new IOException(prefix + ": " + images.count() + " images but " + labels.length + " labels");
            }
            return new Split(images, labels);
        }
    }

    /**
     * One split of a Fashion-MNIST copy.
     *
     * @param images the images
     * @param labels one class index (unsigned byte) per image
     */
    public record Split(IdxImages images, byte[] labels) {
    }

    private record DebianFiles(Path dir) implements IdxSource {
        @Override
        public InputStream open(String fileName) throws IOException {
            return Files.newInputStream(dir.resolve(fileName));
        }
    }

    private record BundledSample() implements IdxSource {
        @Override
        public InputStream open(String fileName) throws IOException {
            InputStream in = FashionMnistFolders.class.getResourceAsStream(SAMPLE_RESOURCE + fileName);
            if (in == null) {
                throw new IOException("bundled sample file " + fileName + " is missing from the jar");
            }
            return in;
        }
    }

    static void export(Path root, IdxSource source, String description) throws IOException {
        Path tmp = root.resolveSibling(root.getFileName() + ".partial");
        deleteRecursively(tmp);
        int train = exportSplit(source, "train", tmp.resolve("train"));
        int val = exportSplit(source, "t10k", tmp.resolve("val"));
        Json.write(tmp.resolve(PROVENANCE_FILE), new Source(description, train, val));
        deleteRecursively(root);
        Files.move(tmp, root, StandardCopyOption.ATOMIC_MOVE);
    }

    private static int exportSplit(IdxSource source, String prefix, Path dir) throws IOException {
        Split split = source.read(prefix);
        IdxImages images = split.images();
        byte[] labels = split.labels();
        for (String name : CLASS_NAMES) {
            Files.createDirectories(dir.resolve(name));
        }
        for (int i = 0; i < images.count(); i++) {
            BufferedImage image = new BufferedImage(images.cols(), images.rows(), BufferedImage.TYPE_BYTE_GRAY);
            image.getRaster().setDataElements(0, 0, images.cols(), images.rows(), images.image(i));
            Path file = dir.resolve(CLASS_NAMES.get(labels[i] & 0xff)).resolve(String.format("%05d.png", i));
            ImageIO.write(image, "png", file.toFile());
        }
        return images.count();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

}
