package org.bn4j;

import org.deeplearning4j.nn.api.Trainable;
import org.deeplearning4j.nn.api.TrainingConfig;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.bn4j.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Gradient normalization configured on a network reaches bn4j's γ and β exactly as DL4J's updater applies it to its
 * own layers (after the division by the minibatch size; DL4J's {@code BaseMultiLayerUpdater.preApply} computes the
 * expected update here), while the population statistics still move exactly as without normalization.
 */
class GradientNormalizationTest {

    private static final int N = 8;
    private static final double LEARNING_RATE = 1.0;

    @ParameterizedTest(name = "{0}")
    @EnumSource(GradientNormalization.class)
    void gammaAndBetaAreNormalizedAsDl4jDoesWhileStatisticsStayExact(GradientNormalization mode) {
        DataSet data = data();
        MultiLayerNetwork plain = network(GradientNormalization.None);
        MultiLayerNetwork normalized = network(mode);
        normalized.setParams(plain.params().dup());
        INDArray before = plain.params().dup();

        plain.fit(data);
        normalized.fit(data);

        INDArray plainStep = step(before, plain);           // g/N: DL4J's division by the minibatch, no normalization
        INDArray expected = dl4jPreApply(mode, plainStep);
        INDArray actual = step(before, normalized);
        assertClose(expected, actual, 1e-10);
        if (mode != GradientNormalization.None) {
            assertNotEquals(plainStep, expected, "the threshold must make " + mode + " change the step");
        }
        for (String statistic : new String[] {BatchNorm.MEAN, BatchNorm.VAR}) {
            assertEquals(plain.getLayer(1).getParam(statistic), normalized.getLayer(1).getParam(statistic),
                    statistic + " must move exactly as without normalization");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = GradientNormalization.class, names = {"ClipElementWiseAbsoluteValue", "ClipL2PerLayer"})
    void aComputationGraphNormalizesLikeAMultiLayerNetwork(GradientNormalization mode) {
        DataSet data = data();
        MultiLayerNetwork multiLayer = network(mode);
        ComputationGraph graph = multiLayer.toComputationGraph();
        INDArray before = multiLayer.params().dup();
        multiLayer.fit(data);
        graph.fit(data);
        assertClose(step(before, multiLayer), stepOfGraph(before, graph), 1e-10);
    }

    @org.junit.jupiter.api.Test
    void theConfiguredNormalizationSurvivesJson() {
        MultiLayerConfiguration conf = network(GradientNormalization.ClipL2PerParamType).getLayerWiseConfigurations();
        BatchNorm layer = (BatchNorm) MultiLayerConfiguration.fromJson(conf.toJson()).getConf(1).getLayer();
        assertEquals(GradientNormalization.ClipL2PerParamType, layer.getGradientNormalization());
        assertEquals(0.01, layer.getGradientNormalizationThreshold(), 0.0);
    }

    /** DL4J's own normalization, applied to the γ/β step of an unnormalized network as if it were a layer gradient. */
    private static INDArray dl4jPreApply(GradientNormalization mode, INDArray gammaBetaStep) {
        INDArray flat = gammaBetaStep.dup().reshape(1, 6);
        Map<String, INDArray> table = new LinkedHashMap<>();
        table.put(BatchNorm.GAMMA, flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, 3)));
        table.put(BatchNorm.BETA, flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(3, 6)));
        Gradient gradient = new DefaultGradient(flat);
        table.forEach(gradient::setGradientFor);
        TrainingConfig config = network(mode).getLayer(0).conf().getLayer();      // DL4J's DenseLayer: its settings
        Trainable gammaBeta = new Trainable() {
            @Override public TrainingConfig getConfig() { return config; }
            @Override public long numParams() { return 6; }
            @Override public INDArray params() { return flat; }
            @Override public Map<String, INDArray> paramTable(boolean backpropOnly) { return table; }
            @Override public boolean updaterDivideByMinibatch(String paramName) { return true; }
            @Override public INDArray getGradientsViewArray() { return flat; }
        };
        new MultiLayerUpdater(network(mode)).preApply(gammaBeta, gradient, 0);
        return flat.reshape(6);
    }

    /** The change of [γ, β] of layer 1 in one step (Sgd with learning rate 1: the applied gradient). */
    private static INDArray step(INDArray before, MultiLayerNetwork after) {
        MultiLayerNetwork old = network(GradientNormalization.None);
        old.setParams(before);
        return Nd4j.concat(0, old.getLayer(1).getParam(BatchNorm.GAMMA).sub(after.getLayer(1).getParam(BatchNorm.GAMMA)),
                old.getLayer(1).getParam(BatchNorm.BETA).sub(after.getLayer(1).getParam(BatchNorm.BETA)))
                .reshape(6).divi(LEARNING_RATE);
    }

    private static INDArray stepOfGraph(INDArray before, ComputationGraph after) {
        MultiLayerNetwork copy = network(GradientNormalization.None);
        copy.setParams(after.params());
        return step(before, copy);
    }

    private static MultiLayerNetwork network(GradientNormalization mode) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(12)
                .updater(new Sgd(LEARNING_RATE)).gradientNormalization(mode).gradientNormalizationThreshold(0.01)
                .list()
                .layer(new DenseLayer.Builder().nOut(3).activation(Activation.IDENTITY).build())
                .layer(new BatchNorm.Builder().build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(4)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static DataSet data() {
        Nd4j.getRandom().setSeed(5);
        return new DataSet(Nd4j.randn(DataType.DOUBLE, N, 4).muli(3), Nd4j.randn(DataType.DOUBLE, N, 2).muli(10));
    }
}
