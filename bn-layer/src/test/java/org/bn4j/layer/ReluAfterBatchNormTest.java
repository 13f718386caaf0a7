package org.bn4j.layer;

import org.bn4j.BatchNorm;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.bn4j.testutil.ArrayAssertions.assertClose;

/**
 * The layer's own activation against the same activation as a separate DL4J {@link ActivationLayer}: the output
 * and every gradient (conv weights below the layer, γ, β, the output layer) must agree, in both backward passes
 * (batch statistics, and frozen population statistics). Plain ReLU runs bn4j's fused mask pass; the other
 * activations run DL4J's own backprop, so they check the general path.
 */
class ReluAfterBatchNormTest {

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        IActivation[] activations = {new ActivationReLU(), new ActivationReLU(6.0, 0.0, 0.0), new ActivationLReLU(0.1)};
        for (IActivation activation : activations) {
            for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
                for (CNN2DFormat format : CNN2DFormat.values()) {
                    for (boolean frozen : new boolean[] {false, true}) {
                        cases.add(Arguments.of(activation, type, format, frozen));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} frozen statistics: {3}")
    @MethodSource("cases")
    void layerActivationEqualsSeparateActivationLayer(IActivation activation, DataType type, CNN2DFormat format,
                                                      boolean frozen) {
        MultiLayerNetwork fused = network(type, format, frozen, activation, false);
        MultiLayerNetwork separate = network(type, format, frozen, activation, true);
        Nd4j.getRandom().setSeed(11);
        // Population statistics that differ from the batch's, so the frozen case is not the batch case.
        fused.getLayer(1).setParam(BatchNorm.MEAN, Nd4j.randn(type, 1, 5).muli(0.3));
        fused.getLayer(1).setParam(BatchNorm.VAR, Nd4j.rand(type, 1, 5).addi(0.5));
        separate.setParams(fused.params().dup());

        long[] shape = format == CNN2DFormat.NCHW ? new long[] {8, 3, 7, 7} : new long[] {8, 7, 7, 3};
        INDArray x = Nd4j.randn(type, shape);
        INDArray labels = Nd4j.randn(type, 8, 4);

        assertClose(separate.output(x, true), fused.output(x, true), tolerance(type));
        fused.setInput(x);
        fused.setLabels(labels);
        fused.computeGradientAndScore();
        separate.setInput(x);
        separate.setLabels(labels);
        separate.computeGradientAndScore();
        assertClose(separate.gradient().gradient(), fused.gradient().gradient(), tolerance(type));
    }

    private static double tolerance(DataType type) {
        return type == DataType.DOUBLE ? 1e-10 : 1e-4;
    }

    private static MultiLayerNetwork network(DataType type, CNN2DFormat format, boolean frozen,
                                             IActivation activation, boolean separateActivation) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(5)
                .dataType(type)
                .updater(new NoOp())
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(5).dataFormat(format)
                        .activation(Activation.IDENTITY).build())
                .layer(new BatchNorm.Builder().frozenStatistics(frozen)
                        .activation(separateActivation ? Activation.IDENTITY.getActivationFunction() : activation)
                        .build());
        if (separateActivation) {
            list.layer(new ActivationLayer.Builder().activation(activation).build());
        }
        MultiLayerConfiguration conf = list
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(4)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(7, 7, 3, format))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
