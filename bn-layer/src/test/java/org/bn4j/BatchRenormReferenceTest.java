package org.bn4j;

import org.bn4j.testutil.Fixture;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.bn4j.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Batch Renormalization (and ghost batches) against the reference implementation of Ioffe 2017's Algorithm 1 in
 * {@code bn-layer/src/test/python/make_renorm_fixtures.py} (torch float64, autograd with r and d detached): forward,
 * backward and the moving averages over five steps, through the warm-up and the ramp of r_max/d_max, on both kernel
 * paths.
 */
class BatchRenormReferenceTest {

    private static final double TOLERANCE = 1e-6;
    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();

    @AfterEach
    void restoreKernels() {
        System.clearProperty("bn4j.kernels");
    }

    @ParameterizedTest(name = "{0}, kernels={1}")
    @CsvSource({"renorm_dense,cpu", "renorm_dense,nd4j", "renorm_nchw,cpu", "renorm_nchw,nd4j", "renorm_nhwc,cpu",
            "renorm_nhwc,nd4j", "renorm_ghost_nchw,cpu", "renorm_ghost_nchw,nd4j"})
    void forwardBackwardAndMovingAveragesMatchTheReferenceOverSeveralSteps(String name, String kernels) {
        System.setProperty("bn4j.kernels", kernels);
        Fixture f = Fixture.load(name);
        RenormSchedule schedule = RenormSchedule.of(f.number("r_max"), f.number("d_max"), (long) f.number("warmup"),
                (long) f.number("r_max_at"), (long) f.number("d_max_at"));
        BatchNorm.Builder builder = new BatchNorm.Builder().eps(f.number("eps")).decay(f.number("decay"))
                .batchRenorm(true).renormSchedule(schedule).ghostBatchSize((int) f.number("ghost"));
        Layer layer = layer(f.string("layout"), builder, f.array("x_0"));
        layer.setParam(BatchNorm.GAMMA, f.array("gamma"));
        layer.setParam(BatchNorm.BETA, f.array("beta"));
        int steps = (int) f.number("steps");
        for (int t = 0; t < steps; t++) {
            assertClose(f.array("y_" + t), layer.activate(f.array("x_" + t), true, NO_WORKSPACES), TOLERANCE);
            Pair<Gradient, INDArray> grad = layer.backpropGradient(f.array("dy_" + t), NO_WORKSPACES);
            assertClose(f.array("dx_" + t), grad.getSecond(), TOLERANCE);
            assertClose(f.array("dgamma_" + t), grad.getFirst().getGradientFor(BatchNorm.GAMMA), TOLERANCE);
            assertClose(f.array("dbeta_" + t), grad.getFirst().getGradientFor(BatchNorm.BETA), TOLERANCE);
            applyStatisticsStep(layer, grad.getFirst());
            assertClose(f.array("running_mean_" + t), layer.getParam(BatchNorm.MEAN), TOLERANCE);
            assertClose(f.array("running_var_" + t), layer.getParam(BatchNorm.VAR), TOLERANCE);
            assertEquals(t + 1, layer.getParam(BatchNorm.RENORM_STEP).getDouble(0), "renorm step after step " + t);
        }
    }

    /** What DL4J's NoOp updater does with the pseudo-gradients during fit: param −= grad. */
    static void applyStatisticsStep(Layer layer, Gradient gradient) {
        for (String key : new String[] {BatchNorm.MEAN, BatchNorm.VAR, BatchNorm.COUNT, BatchNorm.RENORM_STEP}) {
            INDArray g = gradient.getGradientFor(key);
            if (g != null) {
                layer.getParam(key).subi(g);
            }
        }
    }

    /** A single bn4j layer in double for input like {@code x} of the given fixture layout. */
    static Layer layer(String layout, BatchNorm.Builder builder, INDArray x) {
        InputType inputType;
        if ("dense".equals(layout)) {
            inputType = InputType.feedForward(x.size(1));
        } else if ("nchw".equals(layout)) {
            inputType = InputType.convolutional(x.size(2), x.size(3), x.size(1), CNN2DFormat.NCHW);
        } else {
            inputType = InputType.convolutional(x.size(1), x.size(2), x.size(3), CNN2DFormat.NHWC);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .list().layer(builder.build()).setInputType(inputType).build());
        net.init();
        net.initGradientsView();
        return net.getLayer(0);
    }
}
