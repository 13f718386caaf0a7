package org.bn4j.inception.data;

import org.bn4j.inception.UserError;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Mini-batches of labelled image files, in the given order, each image's pixels from a {@link Source} (decoded and
 * cached, or decoded and augmented): features {@code [n, C, H, W]} (NCHW, float) and one-hot labels {@code [n, classes]},
 * the same arrays DataVec's RecordReaderDataSetIterator over an ImageRecordReader builds for the same files, labels
 * and batch size (the last batch may be smaller).
 *
 * <p>With a {@link BadImageFiles} checker, each file is checked when first read and a bad one is left out of its batch
 * (which is then smaller; a batch of only bad files is passed over), so that the position of every later batch does
 * not depend on which files are bad (a resumed run skips whole batches). With a decode executor, the files of a batch
 * are decoded concurrently; the batch is the same as with one thread (the sources are deterministic per position).
 */
public final class ImageFileIterator implements DataSetIterator {

    /** Where an image's pixels (C, H, W, unscaled) come from; {@code position} is its index in the iterated list. */
    @FunctionalInterface
    public interface Source {
        /** The pixels of {@code image}; may be shared, do not modify. */
        float[] pixels(LabeledImage image, int position);
    }

    private final List<LabeledImage> images;
    private final int batchSize;
    private final List<String> labels;
    private final Map<String, Integer> labelIndex = new HashMap<>();
    private final ImageShape shape;
    private final Source source;
    private final BadImageFiles checker;
    private final ExecutorService executor;
    private DataSetPreProcessor preProcessor;
    private int cursor;
    private DataSet pending;

    /**
     * Batches of {@code batchSize} over {@code images} converted to {@code shape} by {@code source}; {@code checker}
     * null: no check (every file known good); {@code executor} null: decode on the calling thread.
     */
    public ImageFileIterator(List<LabeledImage> images, int batchSize, List<String> labels, ImageShape shape,
                             Source source, BadImageFiles checker, ExecutorService executor) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
        }
        this.images = List.copyOf(images);
        this.batchSize = batchSize;
        this.labels = List.copyOf(labels);
        this.shape = shape;
        this.source = source;
        this.checker = checker;
        this.executor = executor;
        for (int i = 0; i < this.labels.size(); i++) {
            labelIndex.put(this.labels.get(i), i);
        }
        for (LabeledImage image : this.images) {
            if (!labelIndex.containsKey(image.label())) {
                throw new IllegalArgumentException("image " + image.file() + " has label " + image.label()
                        + ", not one of " + this.labels);
            }
        }
    }

    @Override
    public boolean hasNext() {
        if (pending == null) {
            pending = nextNonEmptyBatch(batchSize);
        }
        return pending != null;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public DataSet next(int num) {
        DataSet batch = pending != null ? pending : nextNonEmptyBatch(num);
        pending = null;
        if (batch == null) {
            throw new NoSuchElementException("no more images");
        }
        if (preProcessor != null) {
            preProcessor.preProcess(batch);
        }
        return batch;
    }

    private DataSet nextNonEmptyBatch(int num) {
        while (cursor < images.size()) {
            int start = cursor;
            int n = Math.min(num, images.size() - start);
            cursor += n;
            float[][] pixels = decode(start, n);
            List<Integer> kept = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                if (pixels[i] != null) {
                    kept.add(i);
                }
            }
            if (!kept.isEmpty()) {
                return batch(start, pixels, kept);
            }
        }
        return null;
    }

    private float[][] decode(int start, int n) {
        float[][] pixels = new float[n][];
        if (executor == null) {
            for (int i = 0; i < n; i++) {
                pixels[i] = read(start + i);
            }
            return pixels;
        }
        List<Future<float[]>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int position = start + i;
            futures.add(executor.submit(() -> read(position)));
        }
        try {
            for (int i = 0; i < n; i++) {
                pixels[i] = futures.get(i).get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            futures.forEach(f -> f.cancel(true));
            throw new IllegalStateException("interrupted while decoding images", e);
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            if (e.getCause() instanceof UserError userError) {
                throw userError;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("decoding failed", e.getCause());
        }
        return pixels;
    }

    /** The pixels of the image at {@code position}, or null when the checker finds the file bad. */
    private float[] read(int position) {
        LabeledImage image = images.get(position);
        if (checker != null && !checker.readable(image.file())) {
            return null;
        }
        return source.pixels(image, position);
    }

    private DataSet batch(int start, float[][] pixels, List<Integer> kept) {
        int values = shape.channels() * shape.height() * shape.width();
        int n = kept.size();
        float[] features = new float[n * values];
        float[] oneHot = new float[n * labels.size()];
        for (int j = 0; j < n; j++) {
            int i = kept.get(j);
            System.arraycopy(pixels[i], 0, features, j * values, values);
            oneHot[j * labels.size() + labelIndex.get(images.get(start + i).label())] = 1f;
        }
        return new DataSet(
                Nd4j.create(features, new long[]{n, shape.channels(), shape.height(), shape.width()}, 'c'),
                Nd4j.create(oneHot, new long[]{n, labels.size()}, 'c'));
    }

    @Override
    public int inputColumns() {
        return shape.channels() * shape.height() * shape.width();
    }

    @Override
    public int totalOutcomes() {
        return labels.size();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return true;
    }

    @Override
    public void reset() {
        cursor = 0;
        pending = null;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return labels;
    }
}
