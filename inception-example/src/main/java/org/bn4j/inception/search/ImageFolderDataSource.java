package org.bn4j.inception.search;

import org.bn4j.inception.data.DataOptions;
import org.bn4j.inception.data.ImageBatches;
import org.bn4j.inception.data.ImageFolderData;
import org.bn4j.inception.data.ImageShape;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.nio.file.Path;
import java.util.Properties;

/**
 * Arbiter data source over image folders ({@code ROOT/train/<class>} + {@code ROOT/val/<class>}, or one tree to
 * split): {@link #trainData()} iterates the training images, {@link #testData()} the validation images, both as
 * {@link DataSetIterator}s of images resized to the configured shape and scaled to [0, 1].
 *
 * <p>Configured through {@link Properties} (Arbiter instantiates it by class in every task); build them with
 * {@link #properties}. The folders are scanned once per JVM ({@link FolderScans}).
 */
public class ImageFolderDataSource implements DataSource {

    static final String ROOT = "root";
    static final String SOURCE = "source";
    static final String HEIGHT = "height";
    static final String WIDTH = "width";
    static final String CHANNELS = "channels";
    static final String VAL_FRACTION = "valFraction";
    static final String TRAIN_LIMIT = "trainLimit";
    static final String VAL_LIMIT = "valLimit";
    static final String SEED = "seed";
    static final String BATCH_SIZE = "batchSize";

    private transient ImageFolderData data;
    private ImageShape shape;
    private int batchSize;

    /** For Arbiter, which creates data sources by class; call {@link #configure} before use. */
    public ImageFolderDataSource() {
    }

    /**
     * The properties of a data source over {@code options}' folders, converting images to {@code shape} (channels 0:
     * 1 when every image is grey, else 3) and batching {@code batchSize} images for {@code trainData/testData}.
     */
    public static Properties properties(DataOptions options, String source, ImageShapeRequest shape, int batchSize) {
        Properties p = new Properties();
        p.setProperty(ROOT, options.root().toAbsolutePath().toString());
        p.setProperty(SOURCE, source);
        p.setProperty(HEIGHT, Integer.toString(shape.height()));
        p.setProperty(WIDTH, Integer.toString(shape.width()));
        p.setProperty(CHANNELS, Integer.toString(shape.channels()));
        p.setProperty(VAL_FRACTION, Double.toString(options.valFraction()));
        p.setProperty(TRAIN_LIMIT, Integer.toString(options.trainLimit()));
        p.setProperty(VAL_LIMIT, Integer.toString(options.valLimit()));
        p.setProperty(SEED, Long.toString(options.seed()));
        p.setProperty(BATCH_SIZE, Integer.toString(batchSize));
        return p;
    }

    /** A configured data source. */
    public static ImageFolderDataSource open(Properties properties) {
        ImageFolderDataSource source = new ImageFolderDataSource();
        source.configure(properties);
        return source;
    }

    @Override
    public void configure(Properties p) {
        DataOptions options = new DataOptions(Path.of(required(p, ROOT)),
                Double.parseDouble(required(p, VAL_FRACTION)), false, Integer.parseInt(required(p, TRAIN_LIMIT)),
                Integer.parseInt(required(p, VAL_LIMIT)), Long.parseLong(required(p, SEED)));
        data = FolderScans.get(options, p.getProperty(SOURCE, "image folders " + options.root()));
        int channels = Integer.parseInt(required(p, CHANNELS));
        if (channels == 0) {
            channels = data.provenance().channelCounts().keySet().stream().allMatch(c -> c == 1) ? 1 : 3;
        }
        shape = new ImageShape(Integer.parseInt(required(p, HEIGHT)), Integer.parseInt(required(p, WIDTH)), channels);
        batchSize = Integer.parseInt(required(p, BATCH_SIZE));
    }

    /** The scanned folders: labels, training and validation images, provenance. */
    public ImageFolderData data() {
        return data;
    }

    /** The shape images are converted to. */
    public ImageShape shape() {
        return shape;
    }

    /** Mini-batches of this data at the network's input shape. */
    public ImageBatches batches() {
        return new ImageBatches(shape, data.labels());
    }

    /** Training images in folder order, {@code batchSize} per mini-batch, no augmentation. */
    @Override
    public DataSetIterator trainData() {
        return batches().iterator(data.train(), batchSize, null);
    }

    /** Validation images, {@code batchSize} per mini-batch: what a candidate is scored on. */
    @Override
    public DataSetIterator testData() {
        return batches().iterator(data.val(), batchSize, null);
    }

    @Override
    public Class<?> getDataType() {
        return DataSetIterator.class;
    }

    private static String required(Properties p, String key) {
        String value = p.getProperty(key);
        if (value == null) {
            throw new IllegalStateException("data source property \"" + key + "\" is not set");
        }
        return value;
    }

    /**
     * The requested network input: height, width and channels (0: decided from the images).
     *
     * @param height   pixels
     * @param width    pixels
     * @param channels 1, 3, or 0 for automatic
     */
    public record ImageShapeRequest(int height, int width, int channels) {
    }
}
