package org.bn4j.conv;

import org.bn4j.conv.layer.FastSubsamplingLayer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * FastSubsampling against DL4J's SubsamplingLayer with the same settings: output and dL/dx, in float (the Java
 * kernel) and double (DL4J's code behind both), MAX and AVG, stride 1 and 2, kernel 2 and 3, Same and Truncate,
 * odd and even sizes, both AVG divisors, and inputs with many ties (ReLU zeros and repeated values): max pooling's
 * dL/dx must go to the same (first) maximum as DL4J's. Backward after a training forward (recorded winners) and
 * backward alone (recomputed) are both checked. The ops backend is forced, so the second surefire run (libnd4j
 * without oneDNN) compares with libnd4j's own pooling ops too.
 */
class FastSubsamplingDifferentialTest {

    /** {@code TYPE MODE kK sS pP includePad NxCxHxW}. */
    static Stream<String> cases() {
        List<String> cases = new ArrayList<>();
        for (String type : new String[] {"MAX", "AVG"}) {
            for (String include : new String[] {"exclude", "include"}) {
                if (type.equals("MAX") && include.equals("include")) {
                    continue;
                }
                cases.add(type + " Same k3 s1 p0 " + include + " 2x3x7x6");
                cases.add(type + " Same k3 s2 p0 " + include + " 2x3x8x7");
                cases.add(type + " Same k2 s2 p0 " + include + " 2x2x9x9");
                cases.add(type + " Same k3 s2 p0 " + include + " 3x2x4x4");
                cases.add(type + " Truncate k3 s1 p1 " + include + " 2x3x6x7");
                cases.add(type + " Truncate k3 s2 p1 " + include + " 2x2x9x8");
                cases.add(type + " Truncate k2 s2 p0 " + include + " 2x3x8x8");
                cases.add(type + " Truncate k3 s2 p0 " + include + " 1x2x7x10");
                cases.add(type + " Strict k2 s2 p0 " + include + " 2x2x6x4");
                // wide enough for the vector passes (8 lanes), stride 1 and 2; 14 wide: one overlapping vector
                cases.add(type + " Same k3 s1 p0 " + include + " 4x16x28x28");
                cases.add(type + " Same k3 s2 p0 " + include + " 4x8x28x28");
                cases.add(type + " Same k3 s1 p0 " + include + " 2x8x14x14");
            }
        }
        return cases.stream();
    }

    @BeforeEach
    void opsBackend() {
        ConvolutionBackend.force(ConvolutionBackend.OPS);
    }

    @AfterEach
    void reset() {
        ConvolutionBackend.force(null);
        ConvolutionThreads.force(0);
    }

    @ParameterizedTest(name = "{0} float")
    @MethodSource("cases")
    void floatMatchesDl4jWithTies(String c) {
        check(c, DataType.FLOAT, 1);
    }

    @ParameterizedTest(name = "{0} double")
    @MethodSource("cases")
    void doubleMatchesDl4j(String c) {
        check(c, DataType.DOUBLE, 1);
    }

    @ParameterizedTest(name = "{0} float, 2 threads")
    @MethodSource("cases")
    void floatSplitOverThreadsMatchesDl4j(String c) {
        check(c, DataType.FLOAT, 2);
    }

    @Test
    void floatLayerComputesInJavaAndDoubleInDl4j() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            FastSubsamplingLayer layer = layer("MAX Same k3 s1 p0 exclude 1x1x4x4", type);
            layer.setInput(Nd4j.rand(type, 1, 1, 4, 4), LayerWorkspaceMgr.noWorkspaces());
            assertEquals(type == DataType.FLOAT, layer.computesInJava(), type.toString());
        }
    }

    private static void check(String c, DataType type, int threads) {
        ConvolutionThreads.force(threads);
        String[] f = c.split(" ");
        long[] shape = dims(f[6]);
        Nd4j.getRandom().setSeed(c.hashCode());
        // ReLU zeros and values rounded to halves: many exact ties inside windows
        INDArray x = Transforms.relu(Nd4j.randn(type, shape)).muli(2);
        Transforms.round(x, false).divi(2);
        Layer fast = layer(true, c, type);
        Layer dl4j = layer(false, c, type);
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();

        fast.setInput(x, mgr);
        dl4j.setInput(x, mgr);
        INDArray yFast = fast.activate(true, mgr);
        INDArray yDl4j = dl4j.activate(true, mgr);
        assertArrayEquals(yDl4j.shape(), yFast.shape(), c);
        double tol = type == DataType.FLOAT ? 1e-5 : 1e-12;
        assertClose(yDl4j, yFast, tol, c + " output");

        INDArray dy = Nd4j.randn(type, yDl4j.shape());
        INDArray dxDl4j = dl4j.backpropGradient(dy, mgr).getSecond();
        INDArray dxFast = fast.backpropGradient(dy, mgr).getSecond();
        assertClose(dxDl4j, dxFast, tol, c + " dL/dx after a training forward");

        fast.clear();
        fast.setInput(x, mgr);
        INDArray dxAlone = fast.backpropGradient(dy, mgr).getSecond();
        assertClose(dxDl4j, dxAlone, tol, c + " dL/dx without a training forward");

        assertClose(yDl4j, fast.activate(false, mgr), tol, c + " inference output");
    }

    static FastSubsamplingLayer layer(String c, DataType type) {
        return (FastSubsamplingLayer) layer(true, c, type);
    }

    private static Layer layer(boolean fast, String c, DataType type) {
        String[] f = c.split(" ");
        int k = Integer.parseInt(f[2].substring(1));
        int s = Integer.parseInt(f[3].substring(1));
        int p = Integer.parseInt(f[4].substring(1));
        SubsamplingLayer.Builder b = fast ? new FastSubsampling.Builder(PoolingType.valueOf(f[0]))
                : new SubsamplingLayer.Builder(PoolingType.valueOf(f[0]));
        SubsamplingLayer conf = b.kernelSize(k, k).stride(s, s).padding(p, p)
                .convolutionMode(ConvolutionMode.valueOf(f[1]))
                .avgPoolIncludePadInDivisor(f[5].equals("include")).name("pool").build();
        long[] shape = dims(f[6]);
        conf.setNIn(InputType.convolutional(shape[2], shape[3], shape[1]), true);
        NeuralNetConfiguration nnc = new NeuralNetConfiguration.Builder().dataType(type).layer(conf).build();
        return conf.instantiate(nnc, null, 0, null, false, type);
    }

    private static long[] dims(String s) {
        String[] d = s.split("x");
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = Long.parseLong(d[i]);
        }
        return out;
    }

    static void assertClose(INDArray expected, INDArray actual, double tol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        INDArray e = expected.castTo(DataType.DOUBLE);
        INDArray a = actual.castTo(DataType.DOUBLE);
        double diff = Transforms.abs(e.sub(a)).maxNumber().doubleValue();
        double scale = Math.max(1, Transforms.abs(e).maxNumber().doubleValue());
        assertEquals(0, diff / scale, tol, what + ": max |difference| " + diff);
    }
}
