package org.bn4j.inception.data;

import org.datavec.api.io.labels.ParentPathLabelGenerator;
import org.datavec.api.split.CollectionInputSplit;
import org.datavec.image.recordreader.ImageRecordReader;
import org.datavec.image.transform.CropImageTransform;
import org.datavec.image.transform.FlipImageTransform;
import org.datavec.image.transform.ImageTransform;
import org.datavec.image.transform.PipelineImageTransform;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Mini-batches of images through DataVec's {@link ImageRecordReader}: labels from the parent folder ({@link
 * ParentPathLabelGenerator}), each image resized and converted to the {@link ImageShape}, pixels scaled to [0, 1].
 *
 * <p>Augmentation (optional): a random crop of up to 1/8 of the image on each side (then resized back, so also a
 * small zoom) and a horizontal flip with probability 1/2.
 */
public final class ImageBatches {

    private final ImageShape shape;
    private final List<String> labels;

    /** Batches for images of this shape labelled with these class names (label index = position). */
    public ImageBatches(ImageShape shape, List<String> labels) {
        this.shape = shape;
        this.labels = List.copyOf(labels);
    }

    /** An iterator over {@code images} in the given order; {@code augmentSeed} null means no augmentation. */
    public DataSetIterator iterator(List<LabeledImage> images, int batchSize, Long augmentSeed) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images to iterate over");
        }
        ImageRecordReader reader = new ImageRecordReader(shape.height(), shape.width(), shape.channels(),
                new ParentPathLabelGenerator());
        List<URI> locations = images.stream().map(i -> i.file().toUri()).collect(Collectors.toList());
        try {
            reader.initialize(new CollectionInputSplit(locations), augmentSeed == null ? null
                    : augmentation(augmentSeed));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the image reader", e);
        }
        reader.setLabels(labels); // fixed label order, whatever classes this subset contains
        RecordReaderDataSetIterator iterator = new RecordReaderDataSetIterator(reader, batchSize, 1, labels.size());
        iterator.setPreProcessor(new ImagePreProcessingScaler(0, 1));
        return iterator;
    }

    private ImageTransform augmentation(long seed) {
        Random random = new Random(seed);
        int crop = Math.max(1, Math.min(shape.height(), shape.width()) / 8);
        return new PipelineImageTransform(random, seed, List.of(
                new Pair<>(new CropImageTransform(random, crop), 1.0),
                new Pair<>(new FlipImageTransform(1), 0.5)), false);
    }
}
