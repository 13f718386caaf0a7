package org.bn4j.layer;

import org.bn4j.BatchNorm;
import org.bn4j.math.BatchNormKernels;
import org.bn4j.math.FeatureLayout;
import org.bn4j.math.Nd4jOpKernels;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layer's float32 backward pass on input with a large mean (10000 + N(0,1)), against the same layer in double
 * on the same (float) values. The per-feature batch mean must travel from forward to backward in double: rounded
 * to float (10000 has a float spacing of ~1e-3) the mean correction of dγ and dx is lost, and dγ is off by ~1e-4.
 * Both kernel implementations (CPU loops, used here, and the portable ND4J ops) take the double mean.
 */
class Float32BackwardPrecisionTest {

    @Test
    void float32BackwardWithLargeMeanInputMatchesTheDoubleLayer() {
        Nd4j.getRandom().setSeed(42);
        INDArray x = Nd4j.randn(DataType.FLOAT, 4096, 3).addi(10000);
        INDArray dy = Nd4j.randn(DataType.FLOAT, 4096, 3);
        INDArray gamma = Nd4j.createFromArray(1.5f, 0.5f, 2.0f);

        Result single = backprop(DataType.FLOAT, x, dy, gamma);
        Result reference = backprop(DataType.DOUBLE, x.castTo(DataType.DOUBLE), dy.castTo(DataType.DOUBLE),
                gamma.castTo(DataType.DOUBLE));

        // Measured: with the mean kept in double the relative errors are ~1e-7; rounded to float, dγ is off by 1e-4.
        assertRelativeError("dGamma", reference.dGamma(), single.dGamma(), 1e-6);
        assertRelativeError("dBeta", reference.dBeta(), single.dBeta(), 1e-6);
        assertRelativeError("dx", reference.dx(), single.dx(), 1e-5);
    }

    @Test
    void portableKernelsPutTheRoundingOfADoubleMeanBackIntoFloat32Backward() {
        Nd4j.getRandom().setSeed(43);
        INDArray x = Nd4j.randn(DataType.FLOAT, 4096, 3).addi(10000);
        INDArray dy = Nd4j.randn(DataType.FLOAT, 4096, 3);
        INDArray xd = x.castTo(DataType.DOUBLE);
        INDArray mean = xd.mean(0);
        INDArray invStd = Transforms.pow(Transforms.pow(xd.subRowVector(mean), 2).mean(0).addi(1e-5), -0.5);
        BatchNormKernels ops = new Nd4jOpKernels();
        INDArray[] expected = kernelBackward(ops, xd, dy.castTo(DataType.DOUBLE), mean, invStd);
        INDArray[] actual = kernelBackward(ops, x, dy, mean, invStd);
        // ND4J sums float32 in float (~1.4e-6 here); without the correction dγ is off by ~1e-4.
        assertRelativeError("dGamma", expected[0], actual[0], 1e-5);
        assertRelativeError("dBeta", expected[1], actual[1], 1e-5);
        assertRelativeError("dx", expected[2], actual[2], 1e-5);
    }

    private static INDArray[] kernelBackward(BatchNormKernels kernels, INDArray x, INDArray dy, INDArray mean,
                                             INDArray invStd) {
        INDArray dGamma = Nd4j.create(x.dataType(), 3);
        INDArray dBeta = Nd4j.create(x.dataType(), 3);
        INDArray dx = Nd4j.create(x.dataType(), x.shape());
        kernels.backward(x, dy, FeatureLayout.DENSE, mean, invStd, null, dx, dGamma, dBeta);
        return new INDArray[] {dGamma, dBeta, dx};
    }

    /** max|actual − expected| ≤ tol · max|expected|. */
    private static void assertRelativeError(String what, INDArray expected, INDArray actual, double tol) {
        double scale = expected.amaxNumber().doubleValue();
        double error = actual.castTo(DataType.DOUBLE).sub(expected).amaxNumber().doubleValue() / scale;
        assertTrue(error <= tol, what + ": relative error " + error + " > " + tol);
    }

    private static Result backprop(DataType type, INDArray x, INDArray dy, INDArray gamma) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(type).list()
                .layer(new BatchNorm.Builder().nIn(3).nOut(3).build()).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.initGradientsView();
        Layer layer = net.getLayer(0);
        layer.setParam(BatchNorm.GAMMA, gamma);
        layer.setInput(x, LayerWorkspaceMgr.noWorkspaces());
        layer.activate(true, LayerWorkspaceMgr.noWorkspaces());
        Pair<Gradient, INDArray> result = layer.backpropGradient(dy, LayerWorkspaceMgr.noWorkspaces());
        Gradient g = result.getFirst();
        return new Result(g.getGradientFor(BatchNorm.GAMMA).dup(), g.getGradientFor(BatchNorm.BETA).dup(),
                result.getSecond().dup());
    }

    private record Result(INDArray dGamma, INDArray dBeta, INDArray dx) {
    }
}
