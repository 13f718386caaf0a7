package org.bn4j.benchmarks;

import org.bn4j.BatchNorm;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
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
 * Batch normalization on float32, in one JMH run: bn4j's {@link BatchNorm} layer, DL4J's built-in
 * {@link BatchNormalization} layer, and libnd4j's {@code batchnorm}/{@code batchnorm_bp} custom ops, for training
 * (forward with batch statistics + backward) and inference (forward with population statistics), plus a memory
 * copy of the same data ({@code out.assign(x)}) as the floor for inference.
 *
 * <p>Both layers are driven through DL4J's {@link Layer} API exactly as {@code MultiLayerNetwork} drives a layer
 * during {@code fit}: {@code setInput}, {@code activate(training)}, {@code backpropGradient}, with a
 * {@link LayerWorkspaceMgr} whose activations, gradients and working memory live in a workspace that is opened
 * and closed around every iteration (the network's cyclic workspaces: no allocation in steady state).
 *
 * <p>The {@code shape} parameter is {@code LAYOUT:NxCxHxW} (C is the channel count whatever the layout: NHWC
 * arrays have shape {@code [N, H, W, C]}) or {@code DENSE:NxC}; no commas, which JMH's {@code -p} splits on.
 *
 * <p>NOTE: sample-time mode (every call timed) so that the report can use the median per call: on a 2-core
 * machine shared with other jobs the mean is dominated by the calls during which a thread was descheduled.
 *
 * <p>Run: {@code java -jar bn-benchmarks/target/benchmarks.jar BatchNormBenchmark -rf json -rff results.json}, then
 * {@code python3 bn-benchmarks/jmh_table.py results.json [pytorch.txt]} for the tables of docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "-Dorg.bytedeco.javacpp.maxbytes=8g",
        "-Dorg.bytedeco.javacpp.maxphysicalbytes=12g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class BatchNormBenchmark {

    private static final double EPS = 1e-5;

    @Param({"NCHW:32x64x56x56", "NCHW:32x256x28x28", "NCHW:128x32x28x28",
            "NHWC:32x64x56x56", "NHWC:32x256x28x28", "NHWC:128x32x28x28", "DENSE:256x1024"})
    public String shape;

    /** Data type of every array and layer: FLOAT (the default, as in docs/benchmarks.md) or DOUBLE. */
    @Param({"FLOAT"})
    public String dataType;

    private INDArray x;
    private INDArray dy;
    private INDArray copyTarget;
    private Layer bn4j;
    private Layer dl4j;
    private LayerWorkspaceMgr workspaces;

    // libnd4j ops: population statistics and γ, β, and preallocated outputs
    private int axis;
    private int[] reductionDims;
    private INDArray popMean;
    private INDArray popVar;
    private INDArray gamma;
    private INDArray beta;
    private INDArray opOut;
    private INDArray opDx;
    private INDArray opDMean;
    private INDArray opDVar;
    private INDArray opDGamma;
    private INDArray opDBeta;

    @Setup(Level.Trial)
    public void setUp() {
        DataType type = DataType.valueOf(dataType);
        Nd4j.setDefaultDataTypes(type, type);
        Nd4j.getRandom().setSeed(12345);
        String[] parts = shape.split(":");
        String layout = parts[0];
        String[] dims = parts[1].split("x");
        long n = Long.parseLong(dims[0]);
        long c = Long.parseLong(dims[1]);
        long[] arrayShape;
        InputType inputType;
        if (layout.equals("DENSE")) {
            arrayShape = new long[] {n, c};
            inputType = InputType.feedForward(c);
            axis = 1;
            reductionDims = new int[] {0};
        } else {
            long h = Long.parseLong(dims[2]);
            long w = Long.parseLong(dims[3]);
            CNN2DFormat format = CNN2DFormat.valueOf(layout);
            arrayShape = format == CNN2DFormat.NCHW ? new long[] {n, c, h, w} : new long[] {n, h, w, c};
            inputType = InputType.convolutional(h, w, c, format);
            axis = format == CNN2DFormat.NCHW ? 1 : 3;
            reductionDims = format == CNN2DFormat.NCHW ? new int[] {0, 2, 3} : new int[] {0, 1, 2};
        }
        x = Nd4j.randn(type, arrayShape).muli(2).addi(0.5);
        dy = Nd4j.randn(type, arrayShape);
        copyTarget = Nd4j.createUninitialized(type, arrayShape);

        CNN2DFormat format = layout.equals("NHWC") ? CNN2DFormat.NHWC : CNN2DFormat.NCHW;
        bn4j = LayerHarness.layer(new BatchNorm.Builder().eps(EPS).dataFormat(format).build(), inputType, type);
        dl4j = LayerHarness.layer(new BatchNormalization.Builder().eps(EPS).dataFormat(format).build(), inputType,
                type);

        workspaces = LayerHarness.cyclicWorkspaces("BN_BENCHMARK");

        popMean = Nd4j.rand(type, c).subi(0.5);
        popVar = Nd4j.rand(type, c).addi(0.5);
        gamma = Nd4j.rand(type, c).addi(0.5);
        beta = Nd4j.randn(type, c);
        for (Layer l : new Layer[] {bn4j, dl4j}) {
            setParamIfPresent(l, "gamma", gamma);
            setParamIfPresent(l, "beta", beta);
            setParamIfPresent(l, "mean", popMean);
            setParamIfPresent(l, "var", popVar);
        }
        opOut = Nd4j.createUninitialized(type, arrayShape);
        opDx = Nd4j.createUninitialized(type, arrayShape);
        opDMean = Nd4j.createUninitialized(type, c);
        opDVar = Nd4j.createUninitialized(type, c);
        opDGamma = Nd4j.createUninitialized(type, c);
        opDBeta = Nd4j.createUninitialized(type, c);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
    }

    private static void setParamIfPresent(Layer layer, String key, INDArray value) {
        if (layer.paramTable().containsKey(key) && layer.getParam(key).length() == value.length()) {
            layer.setParam(key, value.reshape(layer.getParam(key).shape()));
        }
    }

    // ---------------------------------------------------------------- training: forward (batch stats) + backward

    @Benchmark
    public void trainBn4jLayer(Blackhole bh) {
        trainLayer(bn4j, bh);
    }

    @Benchmark
    public void trainDl4jBuiltInLayer(Blackhole bh) {
        trainLayer(dl4j, bh);
    }

    private void trainLayer(Layer layer, Blackhole bh) {
        LayerHarness.train(layer, x, dy, workspaces, bh);
    }

    /** libnd4j ops: batch mean and biased variance (ND4J reductions), {@code batchnorm}, {@code batchnorm_bp}. */
    @Benchmark
    public void trainLibnd4jOps(Blackhole bh) {
        INDArray mean = x.mean(reductionDims);
        INDArray var = x.var(false, reductionDims);
        Nd4j.exec(DynamicCustomOp.builder("batchnorm")
                .addInputs(x, mean, var, gamma, beta).addOutputs(opOut)
                .addIntegerArguments(1, 1, axis).addFloatingPointArguments(EPS).build());
        Nd4j.exec(DynamicCustomOp.builder("batchnorm_bp")
                .addInputs(x, mean, var, gamma, beta, dy).addOutputs(opDx, opDMean, opDVar, opDGamma, opDBeta)
                .addIntegerArguments(1, 1, axis).addFloatingPointArguments(EPS).build());
        bh.consume(opOut);
        bh.consume(opDx);
    }

    // ---------------------------------------------------------------- inference: forward with population stats

    @Benchmark
    public void inferenceBn4jLayer(Blackhole bh) {
        inferenceLayer(bn4j, bh);
    }

    @Benchmark
    public void inferenceDl4jBuiltInLayer(Blackhole bh) {
        inferenceLayer(dl4j, bh);
    }

    private void inferenceLayer(Layer layer, Blackhole bh) {
        LayerHarness.infer(layer, x, workspaces, bh);
    }

    @Benchmark
    public void inferenceLibnd4jOp(Blackhole bh) {
        Nd4j.exec(DynamicCustomOp.builder("batchnorm")
                .addInputs(x, popMean, popVar, gamma, beta).addOutputs(opOut)
                .addIntegerArguments(1, 1, axis).addFloatingPointArguments(EPS).build());
        bh.consume(opOut);
    }

    /** The floor for inference: one read and one write of the activations. */
    @Benchmark
    public void inferenceMemoryCopy(Blackhole bh) {
        bh.consume(copyTarget.assign(x));
    }
}
