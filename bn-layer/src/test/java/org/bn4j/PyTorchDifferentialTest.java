package org.bn4j;

import org.bn4j.testutil.Fixture;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.bn4j.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * bn4j against PyTorch 1.13's BatchNorm1d/BatchNorm2d, from fixtures made by
 * {@code bn-layer/src/test/python/make_pytorch_fixtures.py} (double precision unless stated).
 */
class PyTorchDifferentialTest {

    private static final double TOLERANCE = 1e-6;
    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();

    @ParameterizedTest
    @ValueSource(strings = {"dense_train", "nchw_train", "nhwc_train"})
    void trainingForwardBackwardAndOneStatisticsUpdateMatchPyTorch(String name) {
        Fixture f = Fixture.load(name);
        INDArray x = f.array("x");
        Layer layer = layer(f, new BatchNorm.Builder().eps(f.number("eps")).decay(1 - f.number("momentum")), x,
                DataType.DOUBLE);
        layer.setParam(BatchNorm.GAMMA, f.array("gamma"));
        layer.setParam(BatchNorm.BETA, f.array("beta"));

        assertClose(f.array("y"), layer.activate(x, true, NO_WORKSPACES), TOLERANCE);
        Pair<Gradient, INDArray> grad = layer.backpropGradient(f.array("dy"), NO_WORKSPACES);
        assertClose(f.array("dx"), grad.getSecond(), TOLERANCE);
        assertClose(f.array("dgamma"), grad.getFirst().getGradientFor(BatchNorm.GAMMA), TOLERANCE);
        assertClose(f.array("dbeta"), grad.getFirst().getGradientFor(BatchNorm.BETA), TOLERANCE);

        applyStatisticsStep(layer, grad.getFirst());
        assertClose(f.array("running_mean"), layer.getParam(BatchNorm.MEAN), TOLERANCE);
        assertClose(f.array("running_var"), layer.getParam(BatchNorm.VAR), TOLERANCE);
    }

    @Test
    void movingAveragePopulationStatisticsAndInferenceMatchPyTorch() {
        Fixture f = Fixture.load("nchw_population_moving");
        checkPopulationStatistics(f, new BatchNorm.Builder().eps(f.number("eps")).decay(1 - f.number("momentum")), 5);
    }

    @Test
    void cumulativePopulationStatisticsAndInferenceMatchPyTorch() {
        Fixture f = Fixture.load("dense_population_cumulative");
        checkPopulationStatistics(f, new BatchNorm.Builder().eps(f.number("eps")).cumulativeAverage(), 4);
    }

    @Test
    void float32InputWithALargeMeanNormalizesLikePyTorch() {
        Fixture f = Fixture.load("dense_large_mean_float32");
        INDArray x = f.array("x").castTo(DataType.FLOAT);
        Layer layer = layer(f, new BatchNorm.Builder().eps(f.number("eps")), x, DataType.FLOAT);
        layer.setParam(BatchNorm.GAMMA, f.array("gamma").castTo(DataType.FLOAT));
        layer.setParam(BatchNorm.BETA, f.array("beta").castTo(DataType.FLOAT));
        assertClose(f.array("y"), layer.activate(x, true, NO_WORKSPACES), 5e-3);
    }

    @Test
    void float32InputWithMeanTenThousandNormalizesToMeanZeroAndUnitStd() {
        Nd4j.getRandom().setSeed(77);
        INDArray x = Nd4j.randn(DataType.FLOAT, 4096, 4).addi(10000);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .list().layer(new BatchNorm.Builder().nIn(4).build()).build());
        net.init();
        INDArray y = net.feedForward(x, true).get(1).castTo(DataType.DOUBLE);
        for (int c = 0; c < 4; c++) {
            INDArray column = y.getColumn(c);
            assertEquals(0.0, column.meanNumber().doubleValue(), 0.01, "mean of feature " + c);
            assertEquals(1.0, column.stdNumber().doubleValue(), 0.01, "std of feature " + c);
        }
        INDArray conv = Nd4j.randn(DataType.FLOAT, 16, 3, 16, 16).addi(10000);
        MultiLayerNetwork convNet = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT).list().layer(new BatchNorm.Builder().nIn(3).build()).build());
        convNet.init();
        INDArray yc = convNet.feedForward(conv, true).get(1).castTo(DataType.DOUBLE);
        for (int c = 0; c < 3; c++) {
            INDArray channel = yc.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(c)).dup();
            assertEquals(0.0, channel.meanNumber().doubleValue(), 0.01, "mean of channel " + c);
            assertEquals(1.0, channel.stdNumber().doubleValue(), 0.01, "std of channel " + c);
        }
    }

    private static void checkPopulationStatistics(Fixture f, BatchNorm.Builder builder, int batches) {
        INDArray first = f.array("train_0");
        Layer layer = layer(f, builder, first, DataType.DOUBLE);
        layer.setParam(BatchNorm.GAMMA, f.array("gamma"));
        layer.setParam(BatchNorm.BETA, f.array("beta"));
        for (int i = 0; i < batches; i++) {
            INDArray batch = f.array("train_" + i);
            layer.activate(batch, true, NO_WORKSPACES);
            Pair<Gradient, INDArray> grad = layer.backpropGradient(Nd4j.onesLike(batch), NO_WORKSPACES);
            applyStatisticsStep(layer, grad.getFirst());
        }
        assertClose(f.array("running_mean"), layer.getParam(BatchNorm.MEAN), TOLERANCE);
        assertClose(f.array("running_var"), layer.getParam(BatchNorm.VAR), TOLERANCE);
        assertClose(f.array("test_y"), layer.activate(f.array("test_x"), false, NO_WORKSPACES), TOLERANCE);
    }

    /** What DL4J's NoOp updater does with the population statistics' pseudo-gradient during fit: param −= grad. */
    private static void applyStatisticsStep(Layer layer, Gradient gradient) {
        for (String key : new String[] {BatchNorm.MEAN, BatchNorm.VAR, BatchNorm.COUNT}) {
            INDArray g = gradient.getGradientFor(key);
            if (g != null) {
                layer.getParam(key).subi(g);
            }
        }
    }

    private static Layer layer(Fixture f, BatchNorm.Builder builder, INDArray x, DataType type) {
        String layout = f.string("layout");
        InputType inputType;
        if ("dense".equals(layout)) {
            inputType = InputType.feedForward(x.size(1));
        } else if ("nchw".equals(layout)) {
            inputType = InputType.convolutional(x.size(2), x.size(3), x.size(1), CNN2DFormat.NCHW);
        } else {
            inputType = InputType.convolutional(x.size(1), x.size(2), x.size(3), CNN2DFormat.NHWC);
        }
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(type).list()
                .layer(builder.build()).setInputType(inputType).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.initGradientsView();
        return net.getLayer(0);
    }
}
