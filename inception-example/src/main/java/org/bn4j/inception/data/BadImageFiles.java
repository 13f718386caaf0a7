package org.bn4j.inception.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Image files checked as they are first read instead of all before training ({@code --check-files first-read}): the
 * first read of each file runs {@link ImageFileCheck} (a full decode, plus libjpeg's truncation check for a JPEG); a
 * file that fails is skipped from then on and listed, or, under {@code strict}, an {@link InvalidDataException} at
 * once. Later reads of a good file cost one set lookup. Thread-safe (the decode threads check concurrently).
 */
public final class BadImageFiles {

    /** Channel counts DataVec's loader converts to 1 or 3. */
    private static final List<Integer> CONVERTIBLE_CHANNELS = List.of(1, 3, 4);

    private final boolean strict;
    private final Set<Path> good = ConcurrentHashMap.newKeySet();
    private final Map<Path, String> bad = new ConcurrentSkipListMap<>();

    /** Checks on first read; {@code strict}: the first bad file is an error. */
    public BadImageFiles(boolean strict) {
        this.strict = strict;
    }

    /** Whether {@code file} can be read; checks it the first time it is asked about. */
    public boolean readable(Path file) {
        if (good.contains(file)) {
            return true;
        }
        if (bad.containsKey(file)) {
            return false;
        }
        ImageFileCheck.Result result = ImageFileCheck.check(file);
        String problem = result.readable() && !CONVERTIBLE_CHANNELS.contains(result.channels())
                ? result.channels() + " channels (only 1, 3 and 4 can be converted)" : result.problem();
        if (problem == null) {
            good.add(file);
            return true;
        }
        if (strict) {
            throw new InvalidDataException("unreadable image file (--strict): " + file + " (" + problem + ")");
        }
        bad.put(file, problem);
        return false;
    }

    /** The bad files found so far, sorted by path, each with its problem. */
    public List<ImageFileCheck.Result> found() {
        List<ImageFileCheck.Result> results = new ArrayList<>();
        bad.forEach((file, problem) -> results.add(new ImageFileCheck.Result(file, 0, problem)));
        return results;
    }

    /** How many bad files were found so far. */
    public int count() {
        return bad.size();
    }
}
