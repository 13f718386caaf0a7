package org.bn4j.benchmarks;

import org.bn4j.conv.ConvolutionBackend;
import org.bn4j.conv.FastConvolution;
import org.bn4j.conv.ops.Conv2dGeometry;
import org.bn4j.conv.ops.Conv2dOps;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * 2-d convolution on float32 NCHW (ConvolutionMode.Same, stride 1, bias, identity activation), in one JMH run:
 * bn4j's {@link FastConvolution} layer, DL4J's {@link ConvolutionLayer}, and libnd4j's {@code conv2d} +
 * {@code conv2d_bp} ops called directly with preallocated outputs (the floor for the fast layer). Training is
 * forward + backward; inference is the forward alone. Layers run through {@link LayerHarness} (cyclic workspace, as
 * {@code fit()} runs).
 *
 * <p>The {@code shape} parameter is {@code NxCinxHxW-CoutkK}, NCHW; with the suffix {@code -NHWC} (not in the default
 * list; {@code -p shape=64x32x16x16-32k1-NHWC}) the same shape in NHWC. Which libnd4j build runs is printed at set-up
 * (oneDNN when {@code nd4j-native:linux-x86_64-onednn} is on the class path, as in this module).
 *
 * <p>Run: {@code java -jar bn-benchmarks/target/benchmarks.jar ConvolutionBenchmark -rf json -rff conv.json}, then
 * {@code python3 bn-benchmarks/jmh_conv_table.py conv.json pytorch_conv.txt}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// the Vector API module for FastConvolution's few-channel kernel (DirectConvOps)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx3g",
        "-Dorg.bytedeco.javacpp.maxbytes=8g", "-Dorg.bytedeco.javacpp.maxphysicalbytes=12g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ConvolutionBenchmark {

    @Param({"64x1x32x32-32k3", "64x32x16x16-48k3", "64x32x16x16-32k1", "64x120x8x8-96k3", "32x64x56x56-64k3"})
    public String shape;

    private INDArray x;
    private INDArray dy;
    private Layer fast;
    private Layer dl4j;
    private LayerWorkspaceMgr workspaces;

    // raw ops: parameters and preallocated outputs
    private Conv2dGeometry geometry;
    private INDArray w;
    private INDArray b;
    private INDArray opY;
    private INDArray opDx;
    private INDArray opDw;
    private INDArray opDb;

    @Setup(Level.Trial)
    public void setUp() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        Nd4j.getRandom().setSeed(12345);
        String[] io = shape.split("-");
        CNN2DFormat format = io.length > 2 ? CNN2DFormat.valueOf(io[2]) : CNN2DFormat.NCHW;
        String[] dims = io[0].split("x");
        long n = Long.parseLong(dims[0]);
        int cIn = Integer.parseInt(dims[1]);
        int h = Integer.parseInt(dims[2]);
        int wd = Integer.parseInt(dims[3]);
        String[] out = io[1].split("k");
        int cOut = Integer.parseInt(out[0]);
        int k = Integer.parseInt(out[1]);

        InputType inputType = InputType.convolutional(h, wd, cIn, format);
        fast = LayerHarness.layer(configure(new FastConvolution.Builder(k, k), cOut, format), inputType);
        dl4j = LayerHarness.layer(configure(new ConvolutionLayer.Builder(k, k), cOut, format), inputType);
        workspaces = LayerHarness.cyclicWorkspaces("CONV_BENCHMARK");
        dl4j.setParams(fast.params());

        boolean nchw = format == CNN2DFormat.NCHW;
        x = nchw ? Nd4j.randn(DataType.FLOAT, n, cIn, h, wd) : Nd4j.randn(DataType.FLOAT, n, h, wd, cIn);
        dy = nchw ? Nd4j.randn(DataType.FLOAT, n, cOut, h, wd) : Nd4j.randn(DataType.FLOAT, n, h, wd, cOut);
        w = fast.getParam("W");
        b = fast.getParam("b");
        geometry = Conv2dGeometry.of(x, new int[] {k, k}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1},
                ConvolutionMode.Same, format);
        opY = Nd4j.createUninitialized(DataType.FLOAT, geometry.outputShape(n, cOut));
        opDx = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
        opDw = Nd4j.createUninitialized(DataType.FLOAT, w.shape());
        opDb = Nd4j.createUninitialized(DataType.FLOAT, b.shape());
        System.out.println("# libnd4j has oneDNN: " + ConvolutionBackend.libnd4jHasOneDnn() + "; FastConvolution: "
                + ConvolutionBackend.decide());
    }

    private static ConvolutionLayer configure(ConvolutionLayer.Builder builder, int cOut, CNN2DFormat format) {
        return builder.nOut(cOut).convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY)
                .dataFormat(format).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
    }

    @Benchmark
    public void trainFastLayer(Blackhole bh) {
        LayerHarness.train(fast, x, dy, workspaces, bh);
    }

    @Benchmark
    public void trainDl4jLayer(Blackhole bh) {
        LayerHarness.train(dl4j, x, dy, workspaces, bh);
    }

    /**
     * {@code conv2d} then {@code conv2d_bp} (oneDNN), outputs preallocated: what the fast layer cannot beat on the
     * ops; a 1x1 NHWC layer computes through BLAS gemms instead (Conv2dKernel), so there this is the bar it must beat.
     */
    @Benchmark
    public void trainRawOps(Blackhole bh) {
        Conv2dOps.forward(x, w, b, geometry, opY);
        Conv2dOps.backward(x, w, b, dy, geometry, opDx, opDw, opDb);
        bh.consume(opY);
        bh.consume(opDx);
    }

    @Benchmark
    public void inferenceFastLayer(Blackhole bh) {
        LayerHarness.infer(fast, x, workspaces, bh);
    }

    @Benchmark
    public void inferenceDl4jLayer(Blackhole bh) {
        LayerHarness.infer(dl4j, x, workspaces, bh);
    }
}
