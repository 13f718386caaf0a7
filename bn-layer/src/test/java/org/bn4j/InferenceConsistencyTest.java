package org.bn4j;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Map;

import static org.bn4j.testutil.ArrayAssertions.assertClose;

/**
 * Training mode and inference mode are the same function when the population statistics equal the batch's own
 * (biased) statistics: checks the inference path end to end in a trained float network, with whichever kernels the
 * backend selects.
 */
class InferenceConsistencyTest {

    @ParameterizedTest
    @EnumSource(value = CNN2DFormat.class)
    void inferenceWithTheBatchsOwnStatisticsReproducesTrainingModeOutput(CNN2DFormat format) {
        ComputationGraph graph = graph(format);
        Nd4j.getRandom().setSeed(3);
        long[] shape = format == CNN2DFormat.NCHW ? new long[] {32, 3, 12, 12} : new long[] {32, 12, 12, 3};
        INDArray x = Nd4j.rand(DataType.FLOAT, shape).muli(4).addi(1);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 32, 4);
        for (int i = 0; i < 32; i++) {
            y.putScalar(i, i % 4, 1);
        }
        for (int i = 0; i < 15; i++) {
            graph.fit(new DataSet(x, y));
        }
        Map<String, INDArray> activations = graph.feedForward(x, true);
        for (String[] bn : new String[][] {{"bn1", "conv1"}, {"bn2", "conv2"}, {"bn3", "dense"}}) {
            INDArray in = activations.get(bn[1]).castTo(DataType.DOUBLE);
            int[] dims = in.rank() == 2 ? new int[] {0} : format == CNN2DFormat.NCHW ? new int[] {0, 2, 3}
                    : new int[] {0, 1, 2};
            graph.getLayer(bn[0]).setParam(BatchNorm.MEAN, in.mean(dims).castTo(DataType.FLOAT));
            graph.getLayer(bn[0]).setParam(BatchNorm.VAR, in.var(false, dims).castTo(DataType.FLOAT));
        }
        INDArray training = graph.outputSingle(true, x);
        INDArray inference = graph.outputSingle(false, x);
        assertClose(training, inference, 1e-4);
    }

    private static ComputationGraph graph(CNN2DFormat format) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).updater(new Adam(0.05))
                .graphBuilder().addInputs("in")
                .addLayer("conv1", new ConvolutionLayer.Builder(3, 3).nOut(8).hasBias(false).dataFormat(format)
                        .activation(Activation.IDENTITY).build(), "in")
                .addLayer("bn1", new BatchNorm.Builder().activation(Activation.RELU).build(), "conv1")
                .addLayer("conv2", new ConvolutionLayer.Builder(3, 3).nOut(16).stride(2, 2).hasBias(false)
                        .dataFormat(format).activation(Activation.IDENTITY).build(), "bn1")
                .addLayer("bn2", new BatchNorm.Builder().activation(Activation.RELU).build(), "conv2")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "bn2")
                .addLayer("dense", new DenseLayer.Builder().nOut(10).activation(Activation.IDENTITY).build(), "pool")
                .addLayer("bn3", new BatchNorm.Builder().activation(Activation.RELU).build(), "dense")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4)
                        .activation(Activation.SOFTMAX).build(), "bn3")
                .setOutputs("out").setInputTypes(InputType.convolutional(12, 12, 3, format)).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }
}
