package org.bn4j.layer;

import org.bn4j.BatchNorm;
import org.bn4j.math.FeatureLayout;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/** Checks a {@link BatchNorm} layer's runtime input and names the layer and the problem when it is wrong. */
final class InputValidator {

    private InputValidator() {
    }

    /** Returns the layout of {@code x}, or throws when its rank or feature count does not fit the layer. */
    static FeatureLayout layoutOf(INDArray x, BatchNorm conf, String layerId) {
        if (x.rank() != 2 && x.rank() != 4) {
            throw new IllegalArgumentException(layerId + ": expected dense input of rank 2 [N, C] or convolutional "
                    + "input of rank 4 (" + conf.getDataFormat() + "), got rank " + x.rank() + " with shape "
                    + Arrays.toString(x.shape()));
        }
        if (!x.dataType().isFPType()) {
            throw new IllegalArgumentException(layerId + ": expected floating-point input, got " + x.dataType());
        }
        FeatureLayout layout = FeatureLayout.of(x.rank(), conf.getDataFormat());
        long features = layout.features(x);
        if (features != conf.getNOut() && x.rank() == 4 && x.length() / x.size(0) == conf.getNOut()) {
            throw new IllegalArgumentException(layerId + ": a dense batch normalization (" + conf.getNOut()
                    + " features) was given image input of shape " + Arrays.toString(x.shape()) + " (" + conf.getNOut()
                    + " values per example as " + features + " channels): put it after a flatten "
                    + "(CnnToFeedForwardPreProcessor, which setInputType inserts before a DenseLayer) or a DenseLayer, "
                    + "or, to normalize the " + features + " channels of the images, after a convolution "
                    + "(convolutional mode, nOut = channels)");
        }
        if (features != conf.getNOut()) {
            String where = layout == FeatureLayout.DENSE ? "columns" : "channels (" + layout + " axis "
                    + layout.featureAxis() + ")";
            throw new IllegalArgumentException(layerId + ": expected " + conf.getNOut() + " " + where + ", got "
                    + features + "; input shape " + Arrays.toString(x.shape()) + hint(x, layout));
        }
        return layout;
    }

    /** What rank-2 input to a convolutional layer, or rank-4 input to a dense one, usually means. */
    private static String hint(INDArray x, FeatureLayout layout) {
        if (layout == FeatureLayout.DENSE) {
            return " (if this layer normalizes images per channel, it was given flattened input: reshape to rank 4 "
                    + "or give the network an image input type)";
        }
        return " (if this layer follows a dense layer, it was given image input: put it after a flatten "
                + "(CnnToFeedForwardPreProcessor) or a DenseLayer)";
    }

    /** A training batch needs at least two values per feature: the batch variance of one value is meaningless. */
    static void checkTrainingBatch(INDArray x, FeatureLayout layout, String layerId) {
        checkTrainingBatch(layout.valuesPerFeature(x), x, layerId);
    }

    /** The same check for {@code m} values per feature (over all replicas when statistics are synchronized). */
    static void checkTrainingBatch(long m, INDArray x, String layerId) {
        if (m < 2) {
            throw new IllegalArgumentException(layerId + ": a training batch needs more than 1 value per feature "
                    + "(got input shape " + Arrays.toString(x.shape()) + ", " + m + " value per feature); use a "
                    + "batch size of at least 2, or inference mode");
        }
    }
}
