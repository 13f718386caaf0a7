package org.bn4j.inception.cli;

import org.bn4j.inception.data.FashionMnistFolders;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * Command-line options that say where the images come from: {@code --data DIR}, or without it Fashion-MNIST exported
 * to a cached folder tree ({@code --data-cache}, {@code --fashion-mnist-dir}). Part of {@link DataOptionsMixin};
 * alone in commands that choose their own limits ({@code experiment fig3}).
 */
public class DataSourceMixin {

    @Option(names = "--data", paramLabel = "DIR",
            description = "Image folders: DIR/train/<class>/* and DIR/val/<class>/*, or one DIR/<class>/* tree to "
                    + "split. Default: Fashion-MNIST exported to a cached folder tree.")
    Path data;

    @Option(names = "--data-cache", paramLabel = "DIR", defaultValue = "${sys:user.home}/.cache/bn4j",
            description = "Where the default data set is exported (default: ${DEFAULT-VALUE}).")
    Path dataCache;

    @Option(names = "--fashion-mnist-dir", paramLabel = "DIR", defaultValue = FashionMnistFolders.DEBIAN_DIR,
            description = "IDX files of Debian's dataset-fashion-mnist package (default: ${DEFAULT-VALUE}); the "
                    + "bundled sample is used when they are absent.")
    Path fashionMnistDir;

    /** The root of the chosen image folders and a description of their source. */
    public record Resolved(Path root, String source) {
    }

    /** The image folders, after exporting the default data set first if {@code --data} was not given. */
    public Resolved resolve() {
        if (data != null) {
            return new Resolved(data, "image folders " + data.toAbsolutePath());
        }
        FashionMnistFolders.Prepared prepared = FashionMnistFolders.prepare(dataCache, fashionMnistDir);
        return new Resolved(prepared.root(), prepared.source());
    }
}
