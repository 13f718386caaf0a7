package org.bn4j.layer;

import org.bn4j.BatchNorm;
import org.bn4j.math.Nd4jOpKernels;
import org.bn4j.math.cpu.CpuKernels;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which kernels the layer uses, and that both paths give the same layer results. */
class KernelSelectorTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty(KernelSelector.PROPERTY);
    }

    @Test
    void autoPicksCpuKernelsForPlainFloatAndDoubleArraysOnTheCpuBackend() {
        assertTrue(CpuKernels.isCpuBackend(), "tests run on ND4J's CPU backend");
        assertInstanceOf(CpuKernels.class, KernelSelector.select(Nd4j.ones(DataType.FLOAT, 8, 3)));
        assertInstanceOf(CpuKernels.class, KernelSelector.select(Nd4j.ones(DataType.DOUBLE, 2, 3, 4, 4)));
    }

    @Test
    void autoKeepsNd4jOpsForViewsOtherOrdersAndOtherTypes() {
        INDArray big = Nd4j.ones(DataType.FLOAT, 10, 3);
        assertInstanceOf(Nd4jOpKernels.class, KernelSelector.select(big.get(NDArrayIndex.interval(2, 6),
                NDArrayIndex.all())));
        assertInstanceOf(Nd4jOpKernels.class, KernelSelector.select(big.dup('f')));
        assertInstanceOf(Nd4jOpKernels.class, KernelSelector.select(Nd4j.ones(DataType.HALF, 8, 3)));
    }

    @Test
    void propertyForcesAPath() {
        System.setProperty(KernelSelector.PROPERTY, "nd4j");
        assertInstanceOf(Nd4jOpKernels.class, KernelSelector.select(Nd4j.ones(DataType.FLOAT, 8, 3)));
        System.setProperty(KernelSelector.PROPERTY, "cpu");
        assertInstanceOf(CpuKernels.class, KernelSelector.select(Nd4j.ones(DataType.FLOAT, 8, 3).dup('f')));
        System.setProperty(KernelSelector.PROPERTY, "gpu");
        assertThrows(IllegalArgumentException.class, () -> KernelSelector.select(Nd4j.ones(DataType.FLOAT, 8, 3)));
    }

    @ParameterizedTest
    @EnumSource(CNN2DFormat.class)
    void layerGivesTheSameActivationsAndGradientsOnBothPaths(CNN2DFormat format) {
        Nd4j.getRandom().setSeed(42);
        long[] shape = format == CNN2DFormat.NCHW ? new long[] {16, 6, 19, 21} : new long[] {16, 19, 21, 6};
        INDArray x = Nd4j.randn(DataType.FLOAT, shape).muli(4).addi(1);
        INDArray epsilon = Nd4j.randn(DataType.FLOAT, shape);
        Result cpu = run("cpu", format, x, epsilon);
        Result nd4j = run("nd4j", format, x, epsilon);
        assertClose(nd4j.train, cpu.train, 1e-5);
        assertClose(nd4j.inference, cpu.inference, 1e-5);
        assertClose(nd4j.dx, cpu.dx, 1e-5);
        assertClose(nd4j.gradient.getGradientFor(BatchNorm.GAMMA), cpu.gradient.getGradientFor(BatchNorm.GAMMA), 1e-5);
        assertClose(nd4j.gradient.getGradientFor(BatchNorm.BETA), cpu.gradient.getGradientFor(BatchNorm.BETA), 1e-5);
        assertClose(nd4j.gradient.getGradientFor(BatchNorm.VAR), cpu.gradient.getGradientFor(BatchNorm.VAR), 1e-5);
    }

    private static Result run(String path, CNN2DFormat format, INDArray x, INDArray epsilon) {
        System.setProperty(KernelSelector.PROPERTY, path);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(1).list()
                .layer(new BatchNorm.Builder().dataFormat(format).build())
                .setInputType(InputType.convolutional(19, 21, 6, format)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.initGradientsView();
        Layer layer = net.getLayer(0);
        layer.setParam(BatchNorm.GAMMA, Nd4j.linspace(DataType.FLOAT, 0.5, 1.5, 6));
        layer.setParam(BatchNorm.BETA, Nd4j.linspace(DataType.FLOAT, -1, 1, 6));
        layer.setParam(BatchNorm.VAR, Nd4j.linspace(DataType.FLOAT, 1, 3, 6));
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        layer.setInput(x, mgr);
        INDArray train = layer.activate(true, mgr).dup();
        Pair<Gradient, INDArray> grad = layer.backpropGradient(epsilon, mgr);
        INDArray inference = layer.activate(false, mgr).dup();
        return new Result(train, inference, grad.getSecond().dup(), grad.getFirst());
    }

    private static void assertClose(INDArray expected, INDArray actual, double tol) {
        assertEquals(0.0, expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber()
                .doubleValue() / Math.max(1.0, expected.amaxNumber().doubleValue()), tol);
    }

    private static final class Result {
        final INDArray train;
        final INDArray inference;
        final INDArray dx;
        final Gradient gradient;

        Result(INDArray train, INDArray inference, INDArray dx, Gradient gradient) {
            this.train = train;
            this.inference = inference;
            this.dx = dx;
            this.gradient = gradient;
        }
    }
}
