package org.bn4j.inception.net;

import org.bn4j.BatchNorm;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One SGD step of the paper-size BN-Inception (224×224×3, 1000 classes, width 1); about 6 s on 2 cores. */
class FullSizeTrainingStepTest {

    @Test
    void fullSizeNetworkTakesATrainingStepThatChangesWeightsAndStatistics() {
        ComputationGraph network = new BnInceptionBuilder().updater(new Nesterovs(0.01, 0.9)).seed(1).build();
        INDArray features = Nd4j.rand(2, 3, 224, 224);
        INDArray labels = Nd4j.zeros(2, 1000);
        labels.putScalar(0, 3, 1.0);
        labels.putScalar(1, 997, 1.0);
        INDArray convWeightsBefore = network.getParam("4c/3x3_W").dup();
        INDArray meanBefore = network.getParam("5b/1x1/bn_" + BatchNorm.MEAN).dup();

        network.fit(new DataSet(features, labels));

        double loss = network.score();
        assertTrue(Double.isFinite(loss) && loss > 0, "loss " + loss);
        assertNotEquals(convWeightsBefore, network.getParam("4c/3x3_W"));
        assertNotEquals(meanBefore, network.getParam("5b/1x1/bn_" + BatchNorm.MEAN));
        assertFalse(network.outputSingle(features).isNaN().any());
    }
}
