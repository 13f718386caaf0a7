package org.bn4j.inception.data;

import org.bn4j.inception.UserError;

/**
 * The network input every image is converted to: resized to {@code height × width} and converted to {@code
 * channels} (1 or 3) by DataVec's NativeImageLoader (grey replicated to BGR, colour to grey by luminance, alpha
 * dropped).
 *
 * @param height   pixels
 * @param width    pixels
 * @param channels 1 or 3
 */
public record ImageShape(int height, int width, int channels) {

    /** Throws IllegalArgumentException for a non-positive size or channels other than 1 and 3. */
    public ImageShape {
        if (height <= 0 || width <= 0) {
            throw new UserError("image size must be positive, got " + height + "x" + width);
        }
        if (channels != 1 && channels != 3) {
            throw new UserError("channels must be 1 or 3, got " + channels);
        }
    }

    /** A square shape. */
    public static ImageShape square(int size, int channels) {
        return new ImageShape(size, size, channels);
    }
}
