package org.bn4j.benchmarks;

import org.bn4j.conv.ConvolutionBackend;
import org.bn4j.conv.FastSubsampling;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
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
 * 3x3 pooling on float32 NCHW (ConvolutionMode.Same, as in the example network), training step (forward in training
 * mode + backward) and inference forward: bn4j's {@link FastSubsampling} against DL4J's {@link SubsamplingLayer}
 * (libnd4j's maxpool2d/avgpool2d and their _bp ops, through oneDNN when {@code nd4j-native:linux-x86_64-onednn} is on
 * the class path, as in this module). The input is ReLU'd noise, as after the example's BatchNorm + ReLU. Layers run
 * through {@link LayerHarness} (cyclic workspace, as {@code fit()} runs).
 *
 * <p>The {@code shape} parameter is {@code NxCxHxW-TYPE-sS}: batch, channels, height, width, MAX or AVG, stride.
 *
 * <p>Run: {@code java -jar bn-benchmarks/target/benchmarks.jar PoolingBenchmark -rf json -rff pool.json}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx3g",
        "-Dorg.bytedeco.javacpp.maxbytes=8g", "-Dorg.bytedeco.javacpp.maxphysicalbytes=12g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PoolingBenchmark {

    @Param({"64x64x28x28-MAX-s1", "64x64x28x28-AVG-s1", "64x64x28x28-MAX-s2", "32x192x14x14-AVG-s1"})
    public String shape;

    private INDArray x;
    private INDArray dy;
    private Layer fast;
    private Layer dl4j;
    private LayerWorkspaceMgr workspaces;

    @Setup(Level.Trial)
    public void setUp() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        Nd4j.getRandom().setSeed(12345);
        String[] parts = shape.split("-");
        String[] dims = parts[0].split("x");
        long n = Long.parseLong(dims[0]);
        int c = Integer.parseInt(dims[1]);
        int h = Integer.parseInt(dims[2]);
        int w = Integer.parseInt(dims[3]);
        PoolingType type = PoolingType.valueOf(parts[1]);
        int stride = Integer.parseInt(parts[2].substring(1));

        InputType inputType = InputType.convolutional(h, w, c);
        fast = LayerHarness.layer(configure(new FastSubsampling.Builder(type), stride), inputType);
        dl4j = LayerHarness.layer(configure(new SubsamplingLayer.Builder(type), stride), inputType);
        workspaces = LayerHarness.cyclicWorkspaces("POOL_BENCHMARK");
        x = Transforms.relu(Nd4j.randn(DataType.FLOAT, n, c, h, w));
        long out = (h + stride - 1) / stride;
        dy = Nd4j.randn(DataType.FLOAT, n, c, out, (w + stride - 1) / stride);
        System.out.println("# libnd4j has oneDNN: " + ConvolutionBackend.libnd4jHasOneDnn() + "; backend: "
                + ConvolutionBackend.decide());
    }

    private static SubsamplingLayer configure(SubsamplingLayer.Builder builder, int stride) {
        return builder.kernelSize(3, 3).stride(stride, stride).convolutionMode(ConvolutionMode.Same).build();
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

    @Benchmark
    public void inferenceFastLayer(Blackhole bh) {
        LayerHarness.infer(fast, x, workspaces, bh);
    }

    @Benchmark
    public void inferenceDl4jLayer(Blackhole bh) {
        LayerHarness.infer(dl4j, x, workspaces, bh);
    }
}
