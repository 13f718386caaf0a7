package org.bn4j.inception.experiment;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** Classification accuracy in inference mode (batch normalization with its population statistics). */
public final class Accuracy {

    private Accuracy() {
    }

    /** Fraction of {@code data}'s examples whose arg-max output is the one-hot label. */
    public static double of(MultiLayerNetwork network, DataSet data) {
        INDArray predicted = network.output(data.getFeatures(), false).argMax(1);
        INDArray actual = data.getLabels().argMax(1);
        return predicted.eq(actual).castTo(DataType.INT).sumNumber().doubleValue() / data.numExamples();
    }
}
