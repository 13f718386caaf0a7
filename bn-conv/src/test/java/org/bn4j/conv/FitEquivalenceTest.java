package org.bn4j.conv;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.bn4j.conv.ConversionTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Training through {@code fit()} (DL4J's workspaces, cache modes, dropout on the input of a convolution) gives the
 * same parameters with FastConvolution as with DL4J's ConvolutionLayer, step after step.
 */
class FitEquivalenceTest {

    static MultiLayerConfiguration conf(CNN2DFormat format, WorkspaceMode workspaceMode, CacheMode cacheMode) {
        // DL4J M2.1's own ConvolutionLayer fails with dropout in NHWC (it back-propagates the dropout mask through
        // its NCHW-permuted gradient), so the reference can only be compared with dropout in NCHW.
        ConvolutionLayer.Builder withDropout = new ConvolutionLayer.Builder(3, 3);
        if (format == CNN2DFormat.NCHW) {
            withDropout.dropOut(0.8);
        }
        return new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(11).updater(new Sgd(0.05))
                .trainingWorkspaceMode(workspaceMode).inferenceWorkspaceMode(workspaceMode).cacheMode(cacheMode)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).convolutionMode(ConvolutionMode.Same)
                        .dataFormat(format).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(2, 2).stride(2, 2).dataFormat(format).build())
                .layer(withDropout.stride(2, 2).nOut(8).dataFormat(format)
                        .activation(Activation.TANH).build())
                .layer(new ConvolutionLayer.Builder(1, 1).nOut(4).hasBias(false).dataFormat(format)
                        .activation(Activation.IDENTITY).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(14, 14, 2, format)).build();
    }

    @ParameterizedTest(name = "{0} workspaces {1} cache {2}")
    @CsvSource({"NCHW, ENABLED, NONE", "NHWC, ENABLED, NONE", "NCHW, ENABLED, DEVICE", "NCHW, NONE, NONE"})
    void threeStepsOfFitGiveTheSameParameters(CNN2DFormat format, WorkspaceMode workspaceMode, CacheMode cacheMode) {
        MultiLayerConfiguration dl4jConf = conf(format, workspaceMode, cacheMode);
        MultiLayerNetwork dl4j = new MultiLayerNetwork(dl4jConf);
        dl4j.init();
        MultiLayerNetwork fast = new MultiLayerNetwork(ConvolutionConversion.toFastConvolution(dl4jConf));
        fast.init(dl4j.params().dup(), false);
        assertEquals(3, fast.getLayers().length - 2);

        for (int step = 0; step < 3; step++) {
            DataSet batch = batch(format, step);
            Nd4j.getRandom().setSeed(100 + step);   // identical dropout masks in both networks
            dl4j.fit(batch);
            Nd4j.getRandom().setSeed(100 + step);
            fast.fit(batch);
            assertClose(dl4j.params(), fast.params(), 2e-5);
        }
        INDArray x = batch(format, 9).getFeatures();
        assertClose(dl4j.output(x), fast.output(x), 2e-5);
    }

    private static DataSet batch(CNN2DFormat format, int seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = format == CNN2DFormat.NCHW ? Nd4j.randn(DataType.FLOAT, 8, 2, 14, 14)
                : Nd4j.randn(DataType.FLOAT, 8, 14, 14, 2);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 3);
        for (int i = 0; i < 8; i++) {
            y.putScalar(i, (i + seed) % 3, 1.0);
        }
        return new DataSet(x, y);
    }
}
