package org.bn4j.inception.data;

import org.datavec.api.io.labels.ParentPathLabelGenerator;
import org.datavec.api.split.CollectionInputSplit;
import org.datavec.api.split.InputSplit;
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
 * <p>Without augmentation the images come from a {@link DecodedImageCache}: each file is decoded once, by the same
 * DataVec loader, and kept in memory up to the cache's budget, so later epochs, validations and Algorithm 2 do not
 * decode it again; the batches are the same as the record reader's (same pixels, labels and order). Images beyond the
 * budget are decoded on every pass, as before.
 *
 * <p>Augmentation (optional): a random crop of up to 1/8 of the image on each side (then resized back, so also a
 * small zoom) and a horizontal flip with probability 1/2. Augmented batches always go through the record reader
 * (a new random transform of each file per epoch).
 *
 * <p>{@link ImagePreprocessing} (optional, saved with the model): a centre crop that keeps the aspect ratio instead of
 * squashing every image (validation, evaluation and non-augmented training), and the random-resized crop and flip of
 * the Inception papers instead of the small crop above. {@link ImagePreprocessing#DEFAULT} is the behaviour above.
 */
public final class ImageBatches {

    private final ImageShape shape;
    private final List<String> labels;
    private final DecodedImageCache cache;
    private final ImagePreprocessing preprocessing;

    /**
     * Batches for images of this shape labelled with these class names (label index = position), keeping decoded
     * images in memory up to {@link DecodedImageCache#defaultBudget()}.
     */
    public ImageBatches(ImageShape shape, List<String> labels) {
        this(shape, labels, DecodedImageCache.defaultBudget());
    }

    /** As {@link #ImageBatches(ImageShape, List)}, keeping at most {@code cacheBytes} of decoded pixels (0: none). */
    public ImageBatches(ImageShape shape, List<String> labels, long cacheBytes) {
        this(shape, labels, cacheBytes, ImagePreprocessing.DEFAULT);
    }

    /** As {@link #ImageBatches(ImageShape, List)}, with the crops of {@code preprocessing}. */
    public ImageBatches(ImageShape shape, List<String> labels, ImagePreprocessing preprocessing) {
        this(shape, labels, DecodedImageCache.defaultBudget(), preprocessing);
    }

    /** As {@link #ImageBatches(ImageShape, List, long)}, with the crops of {@code preprocessing}. */
    public ImageBatches(ImageShape shape, List<String> labels, long cacheBytes, ImagePreprocessing preprocessing) {
        this.shape = shape;
        this.labels = List.copyOf(labels);
        this.preprocessing = preprocessing;
        this.cache = new DecodedImageCache(shape, cacheBytes, preprocessing.evaluationTransform());
    }

    /** The decoded images kept by these batches. */
    public DecodedImageCache cache() {
        return cache;
    }

    /** An iterator over {@code images} in the given order; {@code augmentSeed} null means no augmentation. */
    public DataSetIterator iterator(List<LabeledImage> images, int batchSize, Long augmentSeed) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images to iterate over");
        }
        if (augmentSeed == null) {
            CachedImageIterator iterator = new CachedImageIterator(images, batchSize, labels, cache);
            iterator.setPreProcessor(new ImagePreProcessingScaler(0, 1));
            return iterator;
        }
        return recordReaderIterator(images, batchSize, augmentSeed);
    }

    /**
     * The iterator through DataVec's ImageRecordReader, decoding every file on every pass; {@code augmentSeed} null
     * means no augmentation. {@link #iterator} gives the same batches from the cache when not augmenting.
     */
    public DataSetIterator recordReaderIterator(List<LabeledImage> images, int batchSize, Long augmentSeed) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images to iterate over");
        }
        ImageRecordReader reader = new BitDepthRecordReader(shape, new ParentPathLabelGenerator());
        List<URI> locations = images.stream().map(i -> i.file().toUri()).collect(Collectors.toList());
        try {
            reader.initialize(new CollectionInputSplit(locations), augmentSeed == null
                    ? preprocessing.evaluationTransform() : augmentation(augmentSeed));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the image reader", e);
        }
        reader.setLabels(labels); // fixed label order, whatever classes this subset contains
        RecordReaderDataSetIterator iterator = new RecordReaderDataSetIterator(reader, batchSize, 1, labels.size());
        iterator.setPreProcessor(new ImagePreProcessingScaler(0, 1));
        return iterator;
    }

    /** DataVec's ImageRecordReader decoding through a {@link BitDepthImageLoader} (16-bit images scaled to 8 bits). */
    private static final class BitDepthRecordReader extends ImageRecordReader {

        BitDepthRecordReader(ImageShape shape, ParentPathLabelGenerator labels) {
            super(shape.height(), shape.width(), shape.channels(), labels);
        }

        @Override
        public void initialize(InputSplit split) throws IOException {
            super.initialize(split);
            imageLoader = new BitDepthImageLoader(height, width, channels, imageTransform);
        }
    }

    private ImageTransform augmentation(long seed) {
        if (preprocessing.randomResizedCrop()) {
            return preprocessing.randomResizedTransform(new Random(seed));
        }
        Random random = new Random(seed);
        int crop = Math.max(1, Math.min(shape.height(), shape.width()) / 8);
        return new PipelineImageTransform(random, seed, List.of(
                new Pair<>(new CropImageTransform(random, crop), 1.0),
                new Pair<>(new FlipImageTransform(1), 0.5)), false);
    }
}
