package org.bn4j.deploy;

import org.bn4j.BatchNorm;
import org.bn4j.statistics.NormalizationLayers;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.File;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Folding W' = W·γ/√(Var+ε), b' = (b − E[x])·γ/√(Var+ε) + β keeps inference output within 1e-5 (float). */
class BatchNormFoldingTest {

    @TempDir
    File tmp;

    @Test
    void convAndDenseNchwFoldCompletelyAndLoadWithPlainDl4j() throws Exception {
        checkSequentialNetworkFolds(CNN2DFormat.NCHW);
    }

    @Test
    void convAndDenseNhwcFoldCompletelyAndLoadWithPlainDl4j() throws Exception {
        checkSequentialNetworkFolds(CNN2DFormat.NHWC);
    }

    private void checkSequentialNetworkFolds(CNN2DFormat format) throws Exception {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(1).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).hasBias(false).activation(Activation.IDENTITY)
                        .build())
                .layer(new BatchNorm.Builder().activation(Activation.RELU).build())
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(3).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().useLogStd(true).build())
                .layer(new BatchNorm.Builder().cumulativeAverage().build())
                .layer(new ActivationLayer(Activation.TANH))
                .layer(new DenseLayer.Builder().nOut(5).activation(Activation.IDENTITY).build())
                .layer(new BatchNorm.Builder().activation(Activation.SIGMOID).build())
                .layer(new DenseLayer.Builder().nOut(4).activation(Activation.IDENTITY).hasBias(false).build())
                .layer(new BatchNormalization.Builder().useLogStd(false).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(6, 5, 2, format)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        randomizeStatistics(net.getLayers());
        INDArray before = net.params().dup();
        INDArray x = format == CNN2DFormat.NCHW ? Nd4j.randn(DataType.FLOAT, 7, 2, 6, 5)
                : Nd4j.randn(DataType.FLOAT, 7, 6, 5, 2);

        FoldingResult<MultiLayerNetwork> result = BatchNormFolding.fold(net);

        assertTrue(result.isFullyFolded(), result.report());
        assertEquals(5, result.folded().size(), result.report());
        assertEquals("layer1", result.folded().get(0).batchNorm());
        assertEquals("layer0", result.folded().get(0).into());
        MultiLayerNetwork folded = result.network();
        assertEquals(6, folded.getnLayers());
        assertEquals(before, net.params());
        assertClose(net.output(x), folded.output(x));

        String json = folded.getLayerWiseConfigurations().toJson();
        assertFalse(json.contains("org.bn4j"), json);
        File file = new File(tmp, "folded.zip");
        ModelSerializer.writeModel(folded, file, false);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, false);
        assertClose(net.output(x), restored.output(x));
    }

    @Test
    void graphFoldsWhatItCanAndSaysWhyTheRestStays() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(2)
                .graphBuilder().addInputs("in")
                .addLayer("conv1", conv(4, Activation.IDENTITY), "in")
                .addLayer("bn1", new BatchNorm.Builder().build(), "conv1")              // folds
                .addLayer("bn1b", new BatchNorm.Builder().activation(Activation.RELU).build(), "bn1")   // chain: folds
                .addLayer("conv2", conv(3, Activation.IDENTITY), "bn1b")
                .addLayer("bn2", new BatchNorm.Builder().build(), "conv2")              // conv2 has 2 consumers
                .addLayer("conv3", conv(3, Activation.RELU), "conv2")
                .addLayer("bn3", new BatchNormalization.Builder().build(), "conv3")     // relu before it
                .addVertex("merge", new MergeVertex(), "bn2", "bn3")
                .addLayer("bn4", new BatchNorm.Builder().build(), "merge")              // after a merge
                .addLayer("pool", new GlobalPoolingLayer(PoolingType.AVG), "bn4")
                .addLayer("dense", new DenseLayer.Builder().nOut(4).activation(Activation.IDENTITY).build(), "pool")
                .addLayer("bn5", new BatchNorm.Builder().build(), "dense")              // network output: folds
                .setOutputs("bn5")
                .setInputTypes(InputType.convolutional(5, 5, 2)).build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        randomizeStatistics(net.getLayers());
        INDArray before = net.params().dup();
        INDArray x = Nd4j.randn(DataType.FLOAT, 3, 2, 5, 5);

        FoldingResult<ComputationGraph> result = BatchNormFolding.fold(net);

        assertEquals(List.of(new FoldingResult.Folded("bn1", "conv1"), new FoldingResult.Folded("bn1b", "conv1"),
                new FoldingResult.Folded("bn5", "dense")), result.folded(), result.report());
        assertEquals(3, result.unfolded().size(), result.report());
        assertTrue(reason(result, "bn2").contains("other consumers"), result.report());
        assertTrue(reason(result, "bn3").contains("activation"), result.report());
        assertTrue(reason(result, "bn4").contains("MergeVertex"), result.report());
        assertEquals(before, net.params());
        assertEquals(List.of("dense"), result.network().getConfiguration().getNetworkOutputs());
        assertClose(net.outputSingle(x), result.network().outputSingle(x));
        assertTrue(result.network().getConfiguration().toJson().contains("org.bn4j"));
    }

    @Test
    void aNormalizationLayerInsideAFrozenLayerIsReportedAsKept() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(2).activation(Activation.IDENTITY).build())
                .layer(new org.deeplearning4j.nn.conf.layers.misc.FrozenLayer(new BatchNorm.Builder().nIn(2).build()))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        FoldingResult<MultiLayerNetwork> result = BatchNormFolding.fold(net);
        assertFalse(result.isFullyFolded());
        assertTrue(reason(result, "layer1").contains("FrozenLayer"), result.report());
        INDArray x = Nd4j.randn(DataType.FLOAT, 4, 3);
        assertClose(net.output(x), result.network().output(x));
    }

    private static String reason(FoldingResult<?> result, String layer) {
        return result.unfolded().stream().filter(u -> u.batchNorm().equals(layer)).findFirst().orElseThrow()
                .reason();
    }

    private static ConvolutionLayer conv(int nOut, Activation activation) {
        return new ConvolutionLayer.Builder(2, 2).nOut(nOut).activation(activation)
                .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same).build();
    }

    /** Non-trivial γ, β, E[x], Var[x] on every normalization layer (as after training). */
    static void randomizeStatistics(org.deeplearning4j.nn.api.Layer[] layers) {
        for (org.deeplearning4j.nn.api.Layer layer : layers) {
            for (String key : layer.paramTable().keySet()) {
                INDArray p = layer.getParam(key);
                if (!NormalizationLayers.isNormalization(layer)) {
                    continue;
                }
                long n = p.length();
                switch (key) {
                    case "gamma" -> p.assign(Nd4j.rand(p.dataType(), p.shape()).muli(1.5).addi(0.5));
                    case "beta", "mean" -> p.assign(Nd4j.randn(p.dataType(), p.shape()));
                    case "var" -> p.assign(Nd4j.rand(p.dataType(), p.shape()).muli(2).addi(0.1));
                    case "log10stdev" -> p.assign(Nd4j.rand(p.dataType(), p.shape()).subi(0.5));
                    case "count" -> p.assign(n);
                    default -> throw new IllegalStateException(key);
                }
            }
        }
    }

    /** max |a − b| ≤ 1e-5 · max |b| */
    static void assertClose(INDArray expected, INDArray actual) {
        assertTrue(java.util.Arrays.equals(expected.shape(), actual.shape()));
        double scale = expected.castTo(DataType.DOUBLE).amaxNumber().doubleValue();
        double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-5 * scale, "max difference " + diff + " relative to " + scale);
    }
}
