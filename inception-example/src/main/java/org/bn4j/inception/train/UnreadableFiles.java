package org.bn4j.inception.train;

import org.bn4j.inception.AtomicFiles;
import org.bn4j.inception.UserError;
import org.bn4j.inception.data.BadImageFiles;
import org.bn4j.inception.data.ImageFileCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The bad image files found while training ({@link BadImageFiles}): summed up after every epoch and listed in
 * {@value #FILE_NAME} in the run folder (one line per file: path, tab, problem).
 */
final class UnreadableFiles {

    /** The list in the run folder. */
    static final String FILE_NAME = "skipped-files.txt";
    private static final Logger log = LoggerFactory.getLogger(UnreadableFiles.class);

    private UnreadableFiles() {
    }

    /** After epoch {@code epoch}: a warning and the list, when any bad file was found so far. */
    static void report(BadImageFiles badFiles, int epoch, Path outDir) throws IOException {
        if (badFiles == null || badFiles.count() == 0) {
            return;
        }
        List<ImageFileCheck.Result> found = badFiles.found();
        Path list = outDir.resolve(FILE_NAME);
        AtomicFiles.writeString(list, found.stream().map(r -> r.file() + "\t" + r.problem() + "\n")
                .collect(Collectors.joining()));
        log.warn("epoch {}: {} unreadable or non-image files skipped so far (listed in {})", epoch, found.size(), list);
    }

    /** The {@link UserError} inside {@code e} (an error of a decode or prefetch thread), else {@code e}. */
    static RuntimeException unwrap(RuntimeException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof UserError userError) {
                return userError;
            }
        }
        return e;
    }
}
