package org.bn4j.spark;

import org.bn4j.BatchNorm;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;

/** Small networks with both kinds of BN layer, and random mini-batches, for the Spark tests. */
final class TestNetworks {

    static final int CHANNELS = 2;
    static final int SIZE = 6;
    static final int CLASSES = 3;

    private TestNetworks() {
    }

    /** conv → bn4j BatchNorm (per channel) → ReLU → dense → DL4J BatchNormalization (log10 std) → softmax. */
    static MultiLayerNetwork multiLayer() {
        return convolutionThen(11, new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build(), true);
    }

    /**
     * conv → bn4j BatchNorm → ReLU → conv → DL4J BatchNormalization (variance) → softmax: every normalization layer
     * is convolutional, so a single image gives each of them H·W values per channel and counts for Algorithm 2.
     */
    static MultiLayerNetwork convolutionalOnly() {
        return convolutionThen(13, new ConvolutionLayer.Builder(2, 2).nOut(2).activation(Activation.IDENTITY).build(),
                false);
    }

    /** conv → bn4j BatchNorm → ReLU → {@code middle} → DL4J BatchNormalization → softmax. */
    private static MultiLayerNetwork convolutionThen(long seed, Layer middle, boolean logStd) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(seed)
                .updater(new Adam(1e-2)).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.IDENTITY).build())
                .layer(new BatchNorm.Builder().build())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(middle)
                .layer(new BatchNormalization.Builder().useLogStd(logStd).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(SIZE, SIZE, CHANNELS)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** conv → DL4J BatchNormalization (variance) → ReLU → dense → bn4j BatchNorm (cumulative) → softmax. */
    static ComputationGraph graph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(12)
                .updater(new Adam(1e-2)).graphBuilder().addInputs("in")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.IDENTITY)
                        .build(), "in")
                .addLayer("bn1", new BatchNormalization.Builder().useLogStd(false).build(), "conv")
                .addLayer("relu", new ActivationLayer(Activation.RELU), "bn1")
                .addLayer("dense", new DenseLayer.Builder().nOut(4).activation(Activation.IDENTITY).build(), "relu")
                .addLayer("bn2", new BatchNorm.Builder().cumulativeAverage().activation(Activation.TANH).build(),
                        "dense")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build(), "bn2")
                .setOutputs("out").setInputTypes(InputType.convolutional(SIZE, SIZE, CHANNELS)).build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    /** Partitions of random mini-batches (NCHW, offset and scaled so that the statistics are far from 0 and 1). */
    static List<List<DataSet>> partitions(long seed, int... batchSizesPerPartition) {
        Nd4j.getRandom().setSeed(seed);
        List<List<DataSet>> partitions = new ArrayList<>();
        List<DataSet> current = new ArrayList<>();
        for (int size : batchSizesPerPartition) {
            if (size < 0) { // a partition boundary
                partitions.add(current);
                current = new ArrayList<>();
                continue;
            }
            current.add(batch(size));
        }
        partitions.add(current);
        return partitions;
    }

    static DataSet batch(int size) {
        INDArray x = Nd4j.randn(DataType.DOUBLE, size, CHANNELS, SIZE, SIZE).muli(2.5).addi(1.5);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, size, CLASSES);
        for (int i = 0; i < size; i++) {
            labels.putScalar(i, i % CLASSES, 1.0);
        }
        return new DataSet(x, labels);
    }

    static List<DataSet> flatten(List<List<DataSet>> partitions) {
        List<DataSet> all = new ArrayList<>();
        partitions.forEach(all::addAll);
        return all;
    }
}
