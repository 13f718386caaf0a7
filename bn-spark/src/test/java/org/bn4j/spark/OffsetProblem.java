package org.bn4j.spark;

import org.bn4j.BatchNorm;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;

/**
 * A classification problem whose features sit far from 0 and 1 (offsets up to 4, scales up to 3), so that a network
 * whose first BN layer normalizes raw features classifies well only with statistics close to the data's.
 */
final class OffsetProblem {

    static final int FEATURES = 4;
    static final int CLASSES = 3;
    static final int BATCH = 16;
    static final double[] OFFSETS = {3.0, -2.0, 1.5, -4.0};
    private static final double[] SCALES = {2.0, 0.5, 3.0, 1.0};

    private OffsetProblem() {
    }

    /** {@code batches} mini-batches of {@link #BATCH} examples. */
    static List<DataSet> batches(long seed, int batches) {
        Nd4j.getRandom().setSeed(seed);
        INDArray centers = Nd4j.createFromArray(new double[][] {{1, 0, 0, 1}, {0, 1, 1, -1}, {-1, -1, 0, 0}});
        List<DataSet> out = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            INDArray x = Nd4j.randn(DataType.DOUBLE, BATCH, FEATURES).muli(0.35);
            INDArray y = Nd4j.zeros(DataType.DOUBLE, BATCH, CLASSES);
            for (int i = 0; i < BATCH; i++) {
                int label = (b * BATCH + i) % CLASSES;
                y.putScalar(i, label, 1.0);
                x.getRow(i).addi(centers.getRow(label));
            }
            x.muli(Nd4j.createFromArray(SCALES).reshape(1, FEATURES)).addi(Nd4j.createFromArray(OFFSETS)
                    .reshape(1, FEATURES));
            out.add(new DataSet(x, y));
        }
        return out;
    }

    /** in → bn4j BatchNorm (raw features) → dense 16 tanh → bn4j BatchNorm → softmax. */
    static ComputationGraph network() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(5)
                .updater(new Adam(0.02)).graphBuilder().addInputs("in")
                .addLayer("bn0", new BatchNorm.Builder().build(), "in")
                .addLayer("dense", new DenseLayer.Builder().nOut(16).activation(Activation.IDENTITY).build(), "bn0")
                .addLayer("bn1", new BatchNorm.Builder().activation(Activation.TANH).build(), "dense")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build(), "bn1")
                .setOutputs("out").setInputTypes(InputType.feedForward(FEATURES)).build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    static double accuracy(ComputationGraph net, List<DataSet> data) {
        return net.evaluate(new ExistingDataSetIterator(data)).accuracy();
    }

    /** Largest |E[x] − data mean| of the first BN layer: how far its statistics are from the data's. */
    static double firstLayerMeanError(ComputationGraph net, List<DataSet> data) {
        INDArray mean = net.getLayer("bn0").getParam(BatchNorm.MEAN).castTo(DataType.DOUBLE).reshape(FEATURES);
        return mean.sub(DataSet.merge(data).getFeatures().mean(0)).amaxNumber().doubleValue();
    }
}
