package org.bn4j;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Cases small enough to check by hand. */
class GoldenCaseTest {

    @Test
    void oneToFourNormalizesToPlusMinusThreeAndOneOverRootFiveThenScalesAndShifts() {
        // x = [1,2,3,4]: μ = 2.5, σ² = (2.25+0.25+0.25+2.25)/4 = 1.25; with ε = 0: x̂ = (x−2.5)/√1.25
        // = [−3, −1, 1, 3]/√5 = [−1.3416, −0.4472, 0.4472, 1.3416]. With γ = 2, β = 1: y = 2x̂ + 1.
        MultiLayerNetwork net = single(new BatchNorm.Builder().nIn(1).eps(1e-12).build());
        net.getLayer(0).setParam(BatchNorm.GAMMA, Nd4j.createFromArray(2.0));
        net.getLayer(0).setParam(BatchNorm.BETA, Nd4j.createFromArray(1.0));
        INDArray x = Nd4j.createFromArray(new double[][] {{1}, {2}, {3}, {4}});
        INDArray y = net.feedForward(x, true).get(1);
        double s = Math.sqrt(1.25);
        double[] expected = {2 * -1.5 / s + 1, 2 * -0.5 / s + 1, 2 * 0.5 / s + 1, 2 * 1.5 / s + 1};
        assertArrayEquals(expected, y.toDoubleVector(), 1e-9);
    }

    @Test
    void twoByTwoImagesNormalizePerChannelOverBatchAndLocations() {
        // Two channels, batch of 1, 2x2 images: channel 0 = [0,0,2,2] -> [−1,−1,1,1];
        // channel 1 = [5,5,5,9]: μ = 6, σ² = 3 -> [−1/√3, −1/√3, −1/√3, 3/√3].
        MultiLayerNetwork net = single(new BatchNorm.Builder().nIn(2).eps(1e-12).build());
        INDArray x = Nd4j.createFromArray(new double[] {0, 0, 2, 2, 5, 5, 5, 9}).reshape(1, 2, 2, 2);
        INDArray y = net.feedForward(x, true).get(1);
        double r = 1 / Math.sqrt(3);
        assertArrayEquals(new double[] {-1, -1, 1, 1, -r, -r, -r, 3 * r}, y.ravel().toDoubleVector(), 1e-9);
    }

    @Test
    void inferenceIsTheLinearMapOfThePopulationStatistics() {
        // E[x] = 2, Var[x] = 4 - ε, γ = 3, β = −1: y = 3·(x−2)/2 − 1, so x = 4 -> 2.
        MultiLayerNetwork net = single(new BatchNorm.Builder().nIn(1).eps(1e-5).build());
        net.getLayer(0).setParam(BatchNorm.MEAN, Nd4j.createFromArray(2.0));
        net.getLayer(0).setParam(BatchNorm.VAR, Nd4j.createFromArray(4.0 - 1e-5));
        net.getLayer(0).setParam(BatchNorm.GAMMA, Nd4j.createFromArray(3.0));
        net.getLayer(0).setParam(BatchNorm.BETA, Nd4j.createFromArray(-1.0));
        INDArray y = net.output(Nd4j.createFromArray(new double[][] {{4}, {0}}));
        assertArrayEquals(new double[] {2, -4}, y.toDoubleVector(), 1e-12);
    }

    @Test
    void oneFitStepMovesPopulationStatisticsTenPercentTowardUnbiasedBatchStatistics() {
        // Batch [1,2,3,4]: μ = 2.5, unbiased variance = 5/3. decay 0.9 from (0, 1):
        // mean = 0.1·2.5 = 0.25; var = 0.9·1 + 0.1·5/3 = 1.0666...
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .updater(new Sgd(0.0)).list()
                .layer(new BatchNorm.Builder().decay(0.9).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(1)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray x = Nd4j.createFromArray(new double[][] {{1}, {2}, {3}, {4}});
        net.fit(x, Nd4j.zeros(DataType.DOUBLE, 4, 1));
        assertEquals(0.25, net.getLayer(0).getParam(BatchNorm.MEAN).getDouble(0), 1e-12);
        assertEquals(0.9 + 0.1 * 5.0 / 3.0, net.getLayer(0).getParam(BatchNorm.VAR).getDouble(0), 1e-12);
    }

    static MultiLayerNetwork single(BatchNorm layer) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).list()
                .layer(layer).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
