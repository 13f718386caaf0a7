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
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;

import org.bn4j.inception.UserError;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
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
 * small zoom) and a horizontal flip with probability 1/2, a new random transform of each file per epoch. Augmented
 * images are decoded by the record reader's loader with the transform drawn in the same order as the record reader
 * drew it, so the batches are the record reader's ({@code CropTest}). Both paths read through {@link
 * ImageFileIterator}: files checked on first read ({@link #checking}) and decoded on several threads
 * ({@link #decodeThreads}) when asked.
 *
 * <p>{@link ImagePreprocessing} (optional, saved with the model): a centre crop that keeps the aspect ratio instead of
 * squashing every image (validation, evaluation and non-augmented training), and the random-resized crop and flip of
 * the Inception papers instead of the small crop above. {@link ImagePreprocessing#DEFAULT} is the behaviour above.
 */
public final class ImageBatches {

    /** Decoding threads unless {@link #decodeThreads} says otherwise: the asking thread alone. */
    public static final int DEFAULT_DECODE_THREADS = 1;

    private final ImageShape shape;
    private final List<String> labels;
    private final DecodedImageCache cache;
    private final ImagePreprocessing preprocessing;
    private BadImageFiles checker;
    private int decodeThreads = DEFAULT_DECODE_THREADS;
    private ExecutorService decoders;

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

    /**
     * Checks each file when first read with {@code checker} and leaves bad ones out of their batches; null: every file
     * was checked before (the scan decoded it). Defaults to null.
     */
    public ImageBatches checking(BadImageFiles checker) {
        this.checker = checker;
        return this;
    }

    /**
     * Decodes (and augments) the images of a batch on {@code threads} threads besides the thread that asks for the
     * batch (the prefetch thread in training). 1: on the asking thread, exactly as before. With more threads, each
     * augmented image draws its crop and flip from its own seed (its position in the epoch), so batches do not depend
     * on the thread count, but differ from those of 1 thread. Defaults to {@value #DEFAULT_DECODE_THREADS}.
     */
    public ImageBatches decodeThreads(int threads) {
        if (threads < 1) {
            throw new UserError("--decode-threads must be at least 1, got " + threads);
        }
        this.decodeThreads = threads;
        if (threads > 1) {
            AtomicInteger count = new AtomicInteger();
            decoders = Executors.newFixedThreadPool(threads, task -> {
                Thread thread = new Thread(task, "bn4j-decode-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        }
        return this;
    }

    /**
     * Per-channel mean and standard deviation of the [0, 1] pixels of up to {@code maxImages} of {@code images}
     * (evenly spaced through the list), as decoded for validation (no augmentation, no normalization): {mean, std}.
     */
    public double[][] channelStatistics(List<LabeledImage> images, int maxImages, int batchSize) {
        List<LabeledImage> sample = new java.util.ArrayList<>();
        double step = Math.max(1.0, (double) images.size() / maxImages);
        for (double i = 0; i < images.size() && sample.size() < maxImages; i += step) {
            sample.add(images.get((int) i));
        }
        int channels = shape.channels();
        double[] sum = new double[channels];
        double[] squares = new double[channels];
        long perChannel = 0;
        ImageFileIterator iterator = new ImageFileIterator(sample, batchSize, labels, shape,
                (image, position) -> cache.pixels(image.file()), checker, decoders);
        int plane = shape.height() * shape.width();
        while (iterator.hasNext()) {
            float[] values = iterator.next().getFeatures().data().asFloat();
            for (int offset = 0; offset < values.length; offset += channels * plane) {
                for (int c = 0; c < channels; c++) {
                    for (int p = offset + c * plane, end = p + plane; p < end; p++) {
                        double v = values[p] / 255.0;
                        sum[c] += v;
                        squares[c] += v * v;
                    }
                }
                perChannel += plane;
            }
        }
        double[] mean = new double[channels];
        double[] std = new double[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = sum[c] / perChannel;
            std[c] = Math.max(1e-3, Math.sqrt(Math.max(0, squares[c] / perChannel - mean[c] * mean[c])));
        }
        return new double[][]{mean, std};
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
        ImageFileIterator.Source source;
        if (augmentSeed == null) {
            source = (image, position) -> cache.pixels(image.file());
        } else if (decodeThreads == 1) {
            BitDepthImageLoader loader = new BitDepthImageLoader(shape.height(), shape.width(), shape.channels(),
                    augmentation(augmentSeed));                       // one random sequence, in file order
            // NOTE: DataVec's RecordReaderDataSetIterator reads the first record once to learn the shapes, then
            // resets the reader: that draw of the transform is repeated here, so the batches stay the old ones.
            if (checker == null || checker.readable(images.get(0).file())) {
                decode(loader, images.get(0));
            }
            source = (image, position) -> decode(loader, image);
        } else {
            source = (image, position) -> decode(new BitDepthImageLoader(shape.height(), shape.width(),
                    shape.channels(), augmentation(augmentSeed + 1_000_003L * (position + 1))), image);
        }
        ImageFileIterator iterator = new ImageFileIterator(images, batchSize, labels, shape, source, checker,
                decoders);
        iterator.setPreProcessor(preprocessing.batchPreProcessor());
        return iterator;
    }

    private float[] decode(BitDepthImageLoader loader, LabeledImage image) {
        try {
            INDArray view = Nd4j.create(DataType.FLOAT, shape.channels(), shape.height(), shape.width());
            loader.asMatrixView(image.file().toFile(), view);          // as the record reader decodes a batch
            return view.data().asFloat();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode image " + image.file(), e);
        }
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
