package org.bn4j.inception.data;

import org.bn4j.inception.UserError;
import java.nio.file.Path;

/**
 * Where the images are and how to use them.
 *
 * @param root        either {@code ROOT/train/<class>} + {@code ROOT/val/<class>}, or one {@code ROOT/<class>} tree
 * @param valFraction share of each class held out for validation when {@code root} is one tree (ignored otherwise)
 * @param strict      unreadable files are an error instead of a warning
 * @param trainLimit  use at most this many training images, spread over classes in proportion (0: all)
 * @param valLimit    use at most this many validation images (0: all)
 * @param seed        seed of the split and of the limits' sampling
 * @param checkOnFirstRead check each file when training or evaluation first reads it ({@link BadImageFiles}) instead
 *                    of decoding every file before (the scan then lists names and decodes a small sample)
 */
public record DataOptions(Path root, double valFraction, boolean strict, int trainLimit, int valLimit, long seed,
                          boolean checkOnFirstRead) {

    /** Options that check every file before use (the behaviour before {@code checkOnFirstRead} existed). */
    public DataOptions(Path root, double valFraction, boolean strict, int trainLimit, int valLimit, long seed) {
        this(root, valFraction, strict, trainLimit, valLimit, seed, false);
    }

    /** Throws IllegalArgumentException for a fraction outside (0, 1) or a negative limit. */
    public DataOptions {
        if (!(valFraction > 0 && valFraction < 1)) {
            throw new UserError("validation fraction must be in (0, 1), got " + valFraction);
        }
        if (trainLimit < 0 || valLimit < 0) {
            throw new UserError("limits must be >= 0 (0 means all)");
        }
    }
}
