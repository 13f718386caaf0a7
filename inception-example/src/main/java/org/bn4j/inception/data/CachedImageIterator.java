package org.bn4j.inception.data;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Mini-batches of labelled images from a {@link DecodedImageCache}, in the given order: features {@code [n, C, H, W]}
 * (NCHW, float) and one-hot labels {@code [n, classes]}, the same arrays DataVec's RecordReaderDataSetIterator over an
 * ImageRecordReader builds for the same files, labels and batch size (the last batch may be smaller).
 */
public final class CachedImageIterator implements DataSetIterator {

    private final List<LabeledImage> images;
    private final int batchSize;
    private final List<String> labels;
    private final Map<String, Integer> labelIndex = new HashMap<>();
    private final DecodedImageCache cache;
    private DataSetPreProcessor preProcessor;
    private int cursor;

    /** Batches of {@code batchSize} over {@code images}, labels indexed by their position in {@code labels}. */
    public CachedImageIterator(List<LabeledImage> images, int batchSize, List<String> labels, DecodedImageCache cache) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
        }
        this.images = List.copyOf(images);
        this.batchSize = batchSize;
        this.labels = List.copyOf(labels);
        this.cache = cache;
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
        return cursor < images.size();
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException("no more images");
        }
        int n = Math.min(num, images.size() - cursor);
        int values = cache.valuesPerImage();
        float[] features = new float[n * values];
        float[] oneHot = new float[n * labels.size()];
        for (int i = 0; i < n; i++) {
            LabeledImage image = images.get(cursor + i);
            System.arraycopy(cache.pixels(image.file()), 0, features, i * values, values);
            oneHot[i * labels.size() + labelIndex.get(image.label())] = 1f;
        }
        cursor += n;
        ImageShape shape = cache.shape();
        DataSet batch = new DataSet(
                Nd4j.create(features, new long[]{n, shape.channels(), shape.height(), shape.width()}, 'c'),
                Nd4j.create(oneHot, new long[]{n, labels.size()}, 'c'));
        if (preProcessor != null) {
            preProcessor.preProcess(batch);
        }
        return batch;
    }

    @Override
    public int inputColumns() {
        return cache.valuesPerImage();
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
