package org.bn4j.inception.data;

import org.datavec.image.loader.NativeImageLoader;
import org.datavec.image.transform.ImageTransform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Images decoded once and kept in memory as network input, up to a byte budget.
 *
 * <p>Each image is decoded by DataVec's {@link NativeImageLoader} (OpenCV, the decoder and converter DataVec's
 * ImageRecordReader uses: resized to the {@link ImageShape}, converted to its channels; 16-bit images brought to 8
 * bits by {@link BitDepthImageLoader}), so its pixels are exactly those the record reader of {@link ImageBatches}
 * would produce, unscaled (0-255). The first request decodes the file and
 * keeps the pixels while the budget allows; later requests (the next epoch, the next validation) reuse them. Once the
 * budget is spent, further images are decoded on every request and not kept: memory stays bounded and a data set
 * larger than the budget streams from disk as before. A budget of 0 keeps nothing.
 *
 * <p>Thread-safe: the prefetch thread of an asynchronous iterator and the caller may read concurrently.
 */
public final class DecodedImageCache {

    private final ImageShape shape;
    private final long budgetBytes;
    private final ConcurrentHashMap<Path, float[]> pixels = new ConcurrentHashMap<>();
    private final AtomicLong keptBytes = new AtomicLong();
    private final AtomicLong decodes = new AtomicLong();
    private final ThreadLocal<BitDepthImageLoader> loaders;

    /** A cache of images converted to {@code shape} that keeps at most {@code budgetBytes} of pixels. */
    public DecodedImageCache(ImageShape shape, long budgetBytes) {
        this(shape, budgetBytes, null);
    }

    /**
     * As {@link #DecodedImageCache(ImageShape, long)}, each decoded image first transformed by {@code transform} (a
     * deterministic one, such as a centre crop; null: none).
     */
    public DecodedImageCache(ImageShape shape, long budgetBytes, ImageTransform transform) {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("image cache budget must be >= 0 bytes, got " + budgetBytes);
        }
        this.shape = shape;
        this.budgetBytes = budgetBytes;
        this.loaders = ThreadLocal.withInitial(() -> transform == null
                ? new BitDepthImageLoader(shape.height(), shape.width(), shape.channels())
                : new BitDepthImageLoader(shape.height(), shape.width(), shape.channels(), transform));
    }

    /** The default budget: a quarter of the JVM's maximum heap. */
    public static long defaultBudget() {
        return Runtime.getRuntime().maxMemory() / 4;
    }

    /** The shape every image is converted to. */
    public ImageShape shape() {
        return shape;
    }

    /** Values per image: channels × height × width. */
    public int valuesPerImage() {
        return shape.channels() * shape.height() * shape.width();
    }

    /**
     * The pixels of {@code file} in channel-major (C, H, W) order, unscaled. The array may be shared: do not modify.
     * An undecodable file is an UncheckedIOException naming it.
     */
    public float[] pixels(Path file) {
        float[] kept = pixels.get(file);
        if (kept != null) {
            return kept;
        }
        float[] decoded = decode(file);
        long bytes = 4L * decoded.length;
        if (keptBytes.addAndGet(bytes) <= budgetBytes) {
            float[] previous = pixels.putIfAbsent(file, decoded);
            if (previous != null) {
                keptBytes.addAndGet(-bytes);
                return previous;
            }
        } else {
            keptBytes.addAndGet(-bytes);
        }
        return decoded;
    }

    /** How many files were decoded so far (a kept image is decoded once). */
    public long decodes() {
        return decodes.get();
    }

    /** How many images are kept in memory. */
    public int keptImages() {
        return pixels.size();
    }

    private float[] decode(Path file) {
        decodes.incrementAndGet();
        try {
            float[] values = loaders.get().asMatrix(file.toFile()).data().asFloat();
            if (values.length != valuesPerImage()) {
                throw new IllegalStateException("decoded " + file + " to " + values.length + " values, expected "
                        + valuesPerImage() + " for " + shape);
            }
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode image " + file, e);
        }
    }
}
