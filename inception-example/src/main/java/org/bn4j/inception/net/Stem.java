package org.bn4j.inception.net;

/**
 * The layers before inception module 3a.
 *
 * <ul>
 *   <li>{@link #IMAGENET}: the paper's stem (Figure 5): 7×7/2 convolution (64), 3×3/2 max pool, 1×1 convolution (64),
 *   3×3 convolution (192), 3×3/2 max pool; 224 px in, 28 px out (÷8). Needs at least 64 px.</li>
 *   <li>{@link #SMALL}: for 28–64 px images: 3×3 convolution (64), 1×1 convolution (64), 3×3 convolution (192),
 *   3×3/2 max pool (÷2), so 28 px input reaches module 3a at 14 px, 3c at 7 px and 4e at 4 px; the modules are
 *   unchanged. Needs at least 16 px.</li>
 *   <li>{@link #AUTO}: SMALL up to 64 px, IMAGENET above.</li>
 * </ul>
 */
public enum Stem {
    IMAGENET,
    SMALL,
    AUTO;

    /** Largest image side for which {@link #AUTO} picks {@link #SMALL}. */
    public static final int SMALL_MAX_SIZE = 64;

    /** The concrete stem for an input of the given size. */
    public Stem resolve(int height, int width) {
        if (this != AUTO) {
            return this;
        }
        return Math.max(height, width) <= SMALL_MAX_SIZE ? SMALL : IMAGENET;
    }

    /** Smallest image side the stem accepts. */
    public int minimumSize() {
        return this == SMALL ? 16 : 64;
    }
}
