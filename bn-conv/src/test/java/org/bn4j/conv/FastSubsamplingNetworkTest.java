package org.bn4j.conv;

import org.bn4j.conv.layer.FastSubsamplingLayer;
import org.bn4j.deploy.BatchNormFolding;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import static org.bn4j.conv.FastSubsamplingDifferentialTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FastSubsampling inside networks: gradient checks, JSON and ModelSerializer round trips, conversion both ways,
 * training equivalence with DL4J's SubsamplingLayer, folding, and clear errors naming the layer.
 */
class FastSubsamplingNetworkTest {

    @BeforeEach
    void opsBackend() {
        ConvolutionBackend.force(ConvolutionBackend.OPS);
    }

    @AfterEach
    void reset() {
        ConvolutionBackend.force(null);
    }

    /** conv → MAX s2 Same → AVG s1 Truncate p1 → conv → output, DL4J's pooling layers or FastSubsampling. */
    private static MultiLayerConfiguration conf(boolean fast, DataType type, boolean includePad) {
        return conf(fast, type, includePad, new Adam(1e-2));
    }

    private static MultiLayerConfiguration conf(boolean fast, DataType type, boolean includePad,
                                                org.nd4j.linalg.learning.config.IUpdater updater) {
        return new NeuralNetConfiguration.Builder().dataType(type).seed(3).updater(updater).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build())
                .layer(pool(fast, PoolingType.MAX).kernelSize(3, 3).stride(2, 2)
                        .convolutionMode(ConvolutionMode.Same).name("max").build())
                .layer(pool(fast, PoolingType.AVG).kernelSize(3, 3).stride(1, 1).padding(1, 1)
                        .avgPoolIncludePadInDivisor(includePad).convolutionMode(ConvolutionMode.Truncate)
                        .name("avg").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(7, 6, 2)).build();
    }

    private static SubsamplingLayer.Builder pool(boolean fast, PoolingType type) {
        return fast ? new FastSubsampling.Builder(type) : new SubsamplingLayer.Builder(type);
    }

    private static MultiLayerNetwork net(boolean fast, DataType type) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf(fast, type, false));
        net.init();
        return net;
    }

    private static INDArray input(DataType type) {
        Nd4j.getRandom().setSeed(7);
        return Nd4j.randn(type, 4, 2, 7, 6);
    }

    private static INDArray labels(DataType type) {
        INDArray labels = Nd4j.zeros(type, 4, 3);
        for (int i = 0; i < 4; i++) {
            labels.putScalar(i, i % 3, 1);
        }
        return labels;
    }

    @Test
    void gradientCheckPassesInDouble() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            gradientChecks();
        } finally {
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        }
    }

    private static void gradientChecks() {
        for (boolean includePad : new boolean[] {false, true}) {
            MultiLayerConfiguration c = conf(true, DataType.DOUBLE, includePad, new NoOp());
            MultiLayerNetwork net = new MultiLayerNetwork(c);
            net.init();
            assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net)
                    .input(input(DataType.DOUBLE)).labels(labels(DataType.DOUBLE)).epsilon(1e-6)
                    .maxRelError(1e-3).minAbsoluteError(1e-8).subset(true).maxPerParam(12)), "include pad " + includePad);
        }
    }

    /**
     * The float Java kernel's dL/dx against central differences of {@code L = Σ w·pool(x)}: exact up to float
     * rounding, since pooling is piecewise linear and the inputs are distinct values 0.05 apart (no winner changes
     * for a step of 0.01).
     */
    @Test
    void floatKernelGradientMatchesFiniteDifferences() {
        for (String c : new String[] {"MAX Same k3 s2 p0 exclude 2x2x7x6", "AVG Same k3 s1 p0 exclude 2x2x7x6",
                "AVG Truncate k3 s2 p1 include 2x2x7x6", "MAX Truncate k2 s1 p1 exclude 2x2x5x5"}) {
            FastSubsamplingLayer layer = FastSubsamplingDifferentialTest.layer(c, DataType.FLOAT);
            LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
            Nd4j.getRandom().setSeed(1);
            long[] shape = c.endsWith("5x5") ? new long[] {2, 2, 5, 5} : new long[] {2, 2, 7, 6};
            int n = (int) (shape[0] * shape[1] * shape[2] * shape[3]);
            INDArray x = Nd4j.linspace(DataType.FLOAT, -1, 0.05, n);
            x = Nd4j.createFromArray(shuffled(x.toFloatVector())).reshape(shape);
            layer.setInput(x, mgr);
            INDArray y = layer.activate(true, mgr);
            INDArray w = Nd4j.rand(DataType.FLOAT, y.shape());
            INDArray dx = layer.backpropGradient(w, mgr).getSecond();
            float h = 0.01f;
            for (int i = 0; i < n; i++) {
                float v = x.getFloat(i);
                x.putScalar(i, v + h);
                double up = loss(layer, x, w);
                x.putScalar(i, v - h);
                double down = loss(layer, x, w);
                x.putScalar(i, v);
                assertEquals((up - down) / (2 * h), dx.getDouble(i), 2e-3, c + " element " + i);
            }
        }
    }

    private static double loss(FastSubsamplingLayer layer, INDArray x, INDArray w) {
        layer.setInput(x, LayerWorkspaceMgr.noWorkspaces());
        return layer.activate(false, LayerWorkspaceMgr.noWorkspaces()).castTo(DataType.DOUBLE)
                .mul(w.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
    }

    private static float[] shuffled(float[] v) {
        java.util.Random random = new java.util.Random(42);
        for (int i = v.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return v;
    }

    @Test
    void jsonAndModelSerializerRoundTripsKeepTheLayer() throws IOException {
        MultiLayerConfiguration c = conf(true, DataType.FLOAT, true);
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(c.toJson());
        assertEquals(c, back);
        assertInstanceOf(FastSubsampling.class, back.getConf(1).getLayer());
        assertTrue(((SubsamplingLayer) back.getConf(2).getLayer()).isAvgPoolIncludePadInDivisor());

        MultiLayerNetwork net = net(true, DataType.FLOAT);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(
                new ByteArrayInputStream(bytes.toByteArray()), true);
        assertInstanceOf(FastSubsamplingLayer.class, restored.getLayer(1));
        assertClose(net.output(input(DataType.FLOAT)), restored.output(input(DataType.FLOAT)), 0, "restored");
    }

    @Test
    void conversionBothWaysKeepsOutputs() {
        MultiLayerNetwork dl4j = net(false, DataType.FLOAT);
        dl4j.fit(input(DataType.FLOAT), labels(DataType.FLOAT));
        assertSame(SubsamplingLayer.class, ConvolutionConversion.toFastConvolution(dl4j).getLayerWiseConfigurations()
                .getConf(1).getLayer().getClass(), "pooling is converted only on request");
        System.setProperty(FastSubsampling.PROPERTY, "fast");
        MultiLayerNetwork fast;
        try {
            fast = ConvolutionConversion.toFastConvolution(dl4j);
        } finally {
            System.clearProperty(FastSubsampling.PROPERTY);
        }
        assertInstanceOf(FastSubsampling.class, fast.getLayerWiseConfigurations().getConf(1).getLayer());
        assertInstanceOf(FastSubsampling.class, fast.getLayerWiseConfigurations().getConf(2).getLayer());
        assertClose(dl4j.output(input(DataType.FLOAT)), fast.output(input(DataType.FLOAT)), 1e-5, "to fast");
        MultiLayerNetwork back = ConvolutionConversion.toDl4jConvolution(fast);
        assertSame(SubsamplingLayer.class, back.getLayerWiseConfigurations().getConf(1).getLayer().getClass());
        assertEquals(dl4j.getLayerWiseConfigurations().getConf(2).getLayer(),
                back.getLayerWiseConfigurations().getConf(2).getLayer());
        assertClose(dl4j.output(input(DataType.FLOAT)), back.output(input(DataType.FLOAT)), 0, "back to DL4J");
    }

    @Test
    void conversionKeepsPoolingTheKernelDoesNotCompute() {
        SubsamplingLayer pnorm = new SubsamplingLayer.Builder(PoolingType.PNORM).pnorm(2).kernelSize(2, 2).build();
        SubsamplingLayer dilated = new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).dilation(2, 2)
                .build();
        assertSame(pnorm, ConvolutionConversion.toFastLayer(pnorm));
        assertSame(dilated, ConvolutionConversion.toFastLayer(dilated));
    }

    @Test
    void trainsAsDl4jsSubsamplingLayer() {
        MultiLayerNetwork fast = net(true, DataType.FLOAT);
        MultiLayerNetwork dl4j = net(false, DataType.FLOAT);
        dl4j.setParams(fast.params().dup());
        for (int step = 0; step < 4; step++) {
            fast.fit(input(DataType.FLOAT), labels(DataType.FLOAT));
            dl4j.fit(input(DataType.FLOAT), labels(DataType.FLOAT));
        }
        assertClose(dl4j.params(), fast.params(), 1e-5, "parameters after 4 steps");
        assertClose(dl4j.output(input(DataType.FLOAT)), fast.output(input(DataType.FLOAT)), 1e-5, "outputs");
    }

    @Test
    void foldingReplacesItByDl4jsLayer() {
        MultiLayerNetwork fast = net(true, DataType.FLOAT);
        MultiLayerNetwork folded = BatchNormFolding.fold(fast).network();
        assertSame(SubsamplingLayer.class, folded.getLayerWiseConfigurations().getConf(1).getLayer().getClass());
        assertClose(fast.output(input(DataType.FLOAT)), folded.output(input(DataType.FLOAT)), 1e-6, "folded");
    }

    @Test
    void badInputNamesTheLayer() {
        FastSubsamplingLayer layer = FastSubsamplingDifferentialTest.layer("MAX Truncate k3 s1 p0 exclude 1x1x4x4",
                DataType.FLOAT);
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        layer.setInput(Nd4j.rand(DataType.FLOAT, 1, 4, 4), mgr);
        String rank = assertThrows(IllegalArgumentException.class, () -> layer.activate(true, mgr)).getMessage();
        assertTrue(rank.contains("FastSubsampling") && rank.contains("pool") && rank.contains("rank 3"), rank);
        layer.setInput(Nd4j.rand(DataType.FLOAT, 1, 1, 2, 2), mgr);
        String small = assertThrows(IllegalArgumentException.class, () -> layer.activate(true, mgr)).getMessage();
        assertTrue(small.contains("FastSubsampling") && small.contains("pool") && small.contains("[1, 1, 2, 2]"),
                small);
        layer.setInput(Nd4j.rand(DataType.FLOAT, 1, 1, 4, 4), mgr);
        layer.activate(true, mgr);
        String grad = assertThrows(IllegalArgumentException.class,
                () -> layer.backpropGradient(Nd4j.rand(DataType.FLOAT, 1, 1, 3, 3), mgr)).getMessage();
        assertTrue(grad.contains("pool") && grad.contains("does not match"), grad);
    }

    @Test
    void noOpUpdaterKeepsNetworkWithoutParametersInPoolingLayers() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().updater(new NoOp())
                .list().layer(new FastSubsampling.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.convolutional(4, 4, 1)).build());
        net.init();
        assertEquals(0, net.getLayer(0).numParams());
    }
}
