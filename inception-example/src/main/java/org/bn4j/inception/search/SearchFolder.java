package org.bn4j.inception.search;

import org.bn4j.inception.UserError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The output folder of a search must be new or empty: a search cannot be resumed, and writing into an earlier one
 * would mix its {@code best/model.zip} with new results (or overwrite someone else's files).
 */
public final class SearchFolder {

    private SearchFolder() {
    }

    /** A {@link UserError} unless {@code dir} does not exist or is an empty folder. */
    public static void requireNewOrEmpty(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new UserError("--out " + dir + " is a file, not a folder; give a new folder for the search");
        }
        List<String> names;
        try (Stream<Path> children = Files.list(dir)) {
            names = children.map(p -> p.getFileName().toString()).sorted().toList();
        }
        if (!names.isEmpty()) {
            boolean search = names.contains(SearchResults.CSV) || names.contains(InceptionSearch.BEST_DIR);
            throw new UserError("--out " + dir + (search ? " already holds a search (" + SearchResults.CSV
                    + "); a search cannot be continued, and a new one there would mix its results with the old best "
                    + "model" : " is not empty (it holds " + String.join(", ", names.subList(0,
                    Math.min(5, names.size()))) + (names.size() > 5 ? ", ..." : "") + ")")
                    + ". Give a new or empty folder");
        }
    }
}
