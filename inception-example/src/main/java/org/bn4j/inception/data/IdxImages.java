package org.bn4j.inception.data;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Reader for the IDX format of MNIST and Fashion-MNIST (gzipped): a big-endian magic number {@code 0x00000803}
 * (unsigned bytes, 3 dimensions) for images or {@code 0x00000801} for labels, the dimension sizes, then the bytes.
 *
 * @param count  number of images
 * @param rows   image height
 * @param cols   image width
 * @param pixels {@code count · rows · cols} grey values, image after image, row-major
 */
public record IdxImages(int count, int rows, int cols, byte[] pixels) {

    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    /** Reads a gzipped IDX image file. */
    public static IdxImages readImages(InputStream gzipped) throws IOException {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(gzipped))) {
            checkMagic(in.readInt(), IMAGES_MAGIC, "images");
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            byte[] pixels = new byte[Math.multiplyExact(Math.multiplyExact(count, rows), cols)];
            in.readFully(pixels);
            return new IdxImages(count, rows, cols, pixels);
        }
    }

    /** Reads a gzipped IDX label file: one unsigned byte per example. */
    public static byte[] readLabels(InputStream gzipped) throws IOException {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(gzipped))) {
            checkMagic(in.readInt(), LABELS_MAGIC, "labels");
            byte[] labels = new byte[in.readInt()];
            in.readFully(labels);
            return labels;
        }
    }

    /** The grey values of image {@code index}. */
    public byte[] image(int index) {
        int size = rows * cols;
        byte[] image = new byte[size];
        System.arraycopy(pixels, index * size, image, 0, size);
        return image;
    }

    private static void checkMagic(int magic, int expected, String what) throws IOException {
        if (magic != expected) {
            throw new IOException(String.format("not an IDX %s file: magic 0x%08x, expected 0x%08x", what, magic,
                    expected));
        }
    }
}
