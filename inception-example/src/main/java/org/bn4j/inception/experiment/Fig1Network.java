package org.bn4j.inception.experiment;

import org.bn4j.BatchNorm;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The network of Ioffe &amp; Szegedy 2015, §4.1: 784 inputs, three fully-connected hidden layers of 100 sigmoid
 * units, 10 softmax outputs, weights drawn from a small Gaussian, trained by plain SGD. Each hidden layer is built as
 * {@code dense<i>} (identity) → [{@code bn<i>}, bn4j's {@link BatchNorm}] → {@code sigmoid<i>}, so the input of layer
 * {@code sigmoid<i>} is exactly the sigmoid input the paper's Figure 1(b,c) shows: {@code Wu + b} without BN,
 * {@code γ·x̂ + β} with it. With BN the dense layers have no bias (β takes its role).
 */
public final class Fig1Network {

    /** Units per hidden layer. */
    public static final int HIDDEN = 100;
    /** Number of hidden layers. */
    public static final int DEPTH = 3;
    /** Output classes (Fashion-MNIST, like MNIST in the paper, has ten). */
    public static final int CLASSES = 10;
    /** Name of the last hidden layer's sigmoid, whose input Figure 1(b,c) watches. */
    public static final String LAST_SIGMOID = "sigmoid" + DEPTH;

    private Fig1Network() {
    }

    /** An initialized network; {@code batchNorm} inserts BN before every sigmoid. */
    public static MultiLayerNetwork build(boolean batchNorm, double initStd, double learningRate, long seed) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Sgd(learningRate))
                .weightInit(new NormalDistribution(0, initStd))
                .list();
        for (int i = 1; i <= DEPTH; i++) {
            list.layer(new DenseLayer.Builder().name("dense" + i).nOut(HIDDEN).hasBias(!batchNorm)
                    .activation(Activation.IDENTITY).build());
            if (batchNorm) {
                list.layer(new BatchNorm.Builder().name("bn" + i).build());
            }
            list.layer(new ActivationLayer.Builder().name("sigmoid" + i).activation(Activation.SIGMOID).build());
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nOut(CLASSES)
                .activation(Activation.SOFTMAX).build());
        MultiLayerConfiguration conf = list.setInputType(InputType.feedForward(784)).build();
        MultiLayerNetwork network = new MultiLayerNetwork(conf);
        network.init();
        return network;
    }
}
