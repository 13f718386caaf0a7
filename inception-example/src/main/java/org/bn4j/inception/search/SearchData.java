package org.bn4j.inception.search;

import org.bn4j.inception.data.DataOptions;
import org.bn4j.inception.data.ImageBatches;
import org.bn4j.inception.data.ImageFolderData;
import org.bn4j.inception.data.ImageShape;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The images of a search, scanned once when the search is set up, as Arbiter's {@link DataProvider}: {@link
 * #trainData} iterates the training images, {@link #testData} the validation images (what a candidate is scored on),
 * both as {@link DataSetIterator}s of images converted to the network input shape and scaled to [0, 1]. Every
 * candidate of the search shares the one scan.
 */
public final class SearchData implements DataProvider {

    private final transient ImageFolderData data;
    private final ImageShape shape;
    private final int batchSize;
    private final Map<String, Object> description;

    /**
     * The folders {@code options} describe, scanned now; images are converted to {@code height × width ×
     * channels} (channels 0: 1 when every image is grey, else 3), {@code batchSize} per mini-batch of {@link
     * #trainData}/{@link #testData}.
     */
    public SearchData(DataOptions options, String source, int height, int width, int channels, int batchSize) {
        this.data = ImageFolderData.load(options, source);
        if (channels == 0) {
            channels = data.inputChannels();
        }
        this.shape = new ImageShape(height, width, channels);
        this.batchSize = batchSize;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("root", options.root().toAbsolutePath().toString());
        d.put("source", source);
        d.put("height", height);
        d.put("width", width);
        d.put("channels", shape.channels());
        d.put("valFraction", options.valFraction());
        d.put("trainLimit", options.trainLimit());
        d.put("valLimit", options.valLimit());
        d.put("seed", options.seed());
        d.put("batchSize", batchSize);
        this.description = Collections.unmodifiableMap(d);
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
    private ImageBatches batches() {
        return new ImageBatches(shape, data.labels()).checking(data.badFiles());
    }

    /** Where the data come from and how they are converted, for the search's {@code search.json}. */
    public Map<String, Object> describe() {
        return description;
    }

    /** Training images in folder order, {@code batchSize} per mini-batch, no augmentation. */
    @Override
    public DataSetIterator trainData(Map<String, Object> dataParameters) {
        return batches().iterator(data.train(), batchSize, null);
    }

    /** Validation images, {@code batchSize} per mini-batch: what a candidate is scored on. */
    @Override
    public DataSetIterator testData(Map<String, Object> dataParameters) {
        return batches().iterator(data.val(), batchSize, null);
    }

    @Override
    public Class<?> getDataType() {
        return DataSetIterator.class;
    }
}
