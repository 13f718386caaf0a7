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
        if (features != conf.getNOut()) {
            String where = layout == FeatureLayout.DENSE ? "columns" : "channels (" + layout + " axis "
                    + layout.featureAxis() + ")";
            throw new IllegalArgumentException(layerId + ": expected " + conf.getNOut() + " " + where + ", got "
                    + features + "; input shape " + Arrays.toString(x.shape()));
        }
        return layout;
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
