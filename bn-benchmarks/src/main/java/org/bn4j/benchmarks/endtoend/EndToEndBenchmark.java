package org.bn4j.benchmarks.endtoend;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
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
 * One training step and one inference batch of the example's default network ({@link DefaultNetwork}: BN-Inception,
 * 28×28×1, width 0.25, {@code bn-x5}, batch 64), float32, in each {@link DefaultNetwork.Variant}, in one JMH run.
 *
 * <p>Training is {@code ComputationGraph.fit(DataSet)} of one mini-batch (forward in training mode, backward, the
 * Nesterov update, the BN population-statistics update) and inference is {@code output(false, x)}: exactly the calls
 * the example makes, so DL4J manages its own cyclic workspaces as in a real run. The input is a fixed random batch
 * in [0, 1) with random labels (the speed does not depend on the values).
 *
 * <p>NOTE: sample-time mode (every call timed) so that the report can use the median per call on a shared machine.
 *
 * <p>Run: {@code java -jar bn-benchmarks/target/benchmarks.jar EndToEndBenchmark -rf json -rff e2e.json}, then
 * {@code python3 bn-benchmarks/e2e_table.py e2e.json [pytorch-e2e.txt]} for the table of docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// the Vector API module for FastConvolution's few-channel kernel (DirectConvOps)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx3g",
        "-Dorg.bytedeco.javacpp.maxbytes=8g", "-Dorg.bytedeco.javacpp.maxphysicalbytes=12g"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 4)
public class EndToEndBenchmark {

    @Param({"FAST_CONV_BN4J", "DL4J_CONV_BN4J", "DL4J_CONV_DL4J_BN"})
    public DefaultNetwork.Variant variant;

    private ComputationGraph network;
    private DataSet batch;

    @Setup(Level.Trial)
    public void setUp() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        Nd4j.getRandom().setSeed(12345);
        network = DefaultNetwork.build(variant);
        INDArray features = Nd4j.rand(DataType.FLOAT, DefaultNetwork.BATCH, DefaultNetwork.CHANNELS,
                DefaultNetwork.SIZE, DefaultNetwork.SIZE);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, DefaultNetwork.BATCH, DefaultNetwork.CLASSES);
        for (int i = 0; i < DefaultNetwork.BATCH; i++) {
            labels.putScalar(i, Nd4j.getRandom().nextInt(DefaultNetwork.CLASSES), 1f);
        }
        batch = new DataSet(features, labels);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
    }

    /** One mini-batch of training, as {@code fit} runs it in the example. */
    @Benchmark
    public void trainStep(Blackhole bh) {
        network.fit(batch);
        bh.consume(network.score());
    }

    /** One mini-batch of inference (population statistics), as {@code evaluate} runs it. */
    @Benchmark
    public void inference(Blackhole bh) {
        bh.consume(network.outputSingle(false, batch.getFeatures()));
    }
}
