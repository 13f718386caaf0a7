package org.bn4j.inception.cli;

import org.bn4j.inception.data.DataOptions;
import org.bn4j.inception.data.FashionMnistFolders;
import org.bn4j.inception.data.ImageFolderData;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;

/** Command-line options that choose the image folders; without {@code --data}, the Fashion-MNIST default. */
public class DataOptionsMixin {

    @Option(names = "--data", paramLabel = "DIR",
            description = "Image folders: DIR/train/<class>/* and DIR/val/<class>/*, or one DIR/<class>/* tree to "
                    + "split. Default: Fashion-MNIST exported to a cached folder tree.")
    Path data;

    @Option(names = "--val-fraction", defaultValue = "0.1",
            description = "Share of each class held out when DIR is one tree (default: ${DEFAULT-VALUE}).")
    double valFraction;

    @Option(names = "--strict", description = "Fail on unreadable or non-image files instead of skipping them.")
    boolean strict;

    @Option(names = "--train-limit", defaultValue = "0", paramLabel = "N",
            description = "Use at most N training images, spread over classes (0 = all; default: ${DEFAULT-VALUE}).")
    int trainLimit;

    @Option(names = "--val-limit", defaultValue = "0", paramLabel = "N",
            description = "Use at most N validation images (0 = all; default: ${DEFAULT-VALUE}).")
    int valLimit;

    @Option(names = "--data-cache", paramLabel = "DIR", defaultValue = "${sys:user.home}/.cache/bn4j",
            description = "Where the default data set is exported (default: ${DEFAULT-VALUE}).")
    Path dataCache;

    @Option(names = "--fashion-mnist-dir", paramLabel = "DIR", defaultValue = FashionMnistFolders.DEBIAN_DIR,
            description = "IDX files of Debian's dataset-fashion-mnist package (default: ${DEFAULT-VALUE}); the "
                    + "bundled sample is used when they are absent.")
    Path fashionMnistDir;

    /** The chosen folders and a description of their source, after exporting the default data set if needed. */
    public record Resolved(DataOptions options, String source) {
    }

    /**
     * Resolves the options to image folders (exporting the default data set first if needed), prints which data set
     * is used, and returns them unscanned.
     */
    public Resolved resolve(long seed, PrintStream out) {
        Path root = data;
        String source;
        if (root == null) {
            FashionMnistFolders.Prepared prepared = FashionMnistFolders.prepare(dataCache, fashionMnistDir);
            root = prepared.root();
            source = prepared.source();
        } else {
            source = "image folders " + root.toAbsolutePath();
        }
        out.println("data: " + source);
        return new Resolved(new DataOptions(root, valFraction, strict, trainLimit, valLimit, seed), source);
    }

    /** Scans the chosen folders (exporting the default data set first if needed) and says which were used. */
    public ImageFolderData load(long seed, PrintStream out) {
        Resolved resolved = resolve(seed, out);
        ImageFolderData loaded = ImageFolderData.load(resolved.options(), resolved.source());
        out.printf("data: %d classes, %d training and %d validation images (%s)%n", loaded.labels().size(),
                loaded.train().size(), loaded.val().size(), loaded.provenance().layout());
        return loaded;
    }
}
