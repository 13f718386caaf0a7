package org.bn4j.inception.search;

import org.bn4j.inception.data.DataOptions;
import org.bn4j.inception.data.ImageFolderData;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scans of image folders, kept for the life of the JVM. Arbiter creates a new {@link ImageFolderDataSource} for every
 * candidate and for every scoring; scanning (one decode per file) happens once per set of {@link DataOptions}.
 */
final class FolderScans {

    private static final Map<DataOptions, ImageFolderData> SCANS = new ConcurrentHashMap<>();

    private FolderScans() {
    }

    /** The scan of the folders {@code options} describe, made on first use. */
    static ImageFolderData get(DataOptions options, String source) {
        return SCANS.computeIfAbsent(options, o -> ImageFolderData.load(o, source));
    }
}
