package org.bn4j.inception.cli;

import org.bn4j.inception.UserError;
import org.bn4j.inception.data.DataOptions;
import org.bn4j.inception.data.ImageFolderData;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;

/**
 * Command-line options that choose the image folders ({@link DataSourceMixin}; without {@code --data}, the
 * Fashion-MNIST default) and which of their images are used.
 */
public class DataOptionsMixin {

    @Mixin
    DataSourceMixin source;

    @Option(names = "--val-fraction", defaultValue = "0.1",
            description = "Share of each class held out when DIR is one tree (default: ${DEFAULT-VALUE}).")
    double valFraction;

    @Option(names = "--strict", description = "Fail on unreadable or non-image files instead of skipping them.")
    boolean strict;

    @Option(names = "--check-files", defaultValue = "first-read", paramLabel = "first-read|upfront",
            description = "first-read: check each image file when it is first read (skip and list bad ones; training "
                    + "starts without decoding every file); upfront: decode every file before starting "
                    + "(default: ${DEFAULT-VALUE}).")
    String checkFiles;

    @Option(names = "--train-limit", defaultValue = "0", paramLabel = "N",
            description = "Use at most N training images, spread over classes (0 = all; default: ${DEFAULT-VALUE}).")
    int trainLimit;

    @Option(names = "--val-limit", defaultValue = "0", paramLabel = "N",
            description = "Use at most N validation images (0 = all; default: ${DEFAULT-VALUE}).")
    int valLimit;

    /** The chosen folders and a description of their source, after exporting the default data set if needed. */
    public record Resolved(DataOptions options, String source) {
    }

    /**
     * Resolves the options to image folders (exporting the default data set first if needed), prints which data set
     * is used, and returns them unscanned.
     */
    public Resolved resolve(long seed, PrintStream out) {
        DataSourceMixin.Resolved resolved = source.resolve();
        out.println("data: " + resolved.source());
        if (!checkFiles.equals("first-read") && !checkFiles.equals("upfront")) {
            throw new UserError("--check-files must be first-read or upfront, got " + checkFiles);
        }
        return new Resolved(new DataOptions(resolved.root(), valFraction, strict, trainLimit, valLimit, seed,
                checkFiles.equals("first-read")), resolved.source());
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
