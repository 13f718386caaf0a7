package org.bn4j.benchmarks.endtoend;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * Runs training steps (or inference batches) of the example's default network in one {@link DefaultNetwork.Variant},
 * for a sampling profiler: start it under Java Flight Recorder with {@code bn-benchmarks/profile.jfc} (10 ms samples
 * of Java and native-method stacks) and attribute the samples to layers with {@code bn-benchmarks/profile_table.py}.
 * Prints the median wall time of the profiled steps and the median CPU time of the calling thread (with
 * {@code OMP_NUM_THREADS=1} nearly all work runs on that thread, which gives a measure of the work per step that a
 * loaded machine does not distort).
 *
 * <p>Usage: {@code java -XX:StartFlightRecording=settings=bn-benchmarks/profile.jfc,filename=step.jfr -cp
 * bn-benchmarks/target/benchmarks.jar org.bn4j.benchmarks.endtoend.ProfileDefaultNetwork VARIANT train|inference
 * STEPS [BATCH]} (BATCH defaults to the example's 64; a small one shows the per-step cost that does not scale with
 * the batch).
 */
public final class ProfileDefaultNetwork {

    private static final int WARMUP = 5;

    private ProfileDefaultNetwork() {
    }

    public static void main(String[] args) {
        if (args.length < 3 || args.length > 4 || !(args[1].equals("train") || args[1].equals("inference"))) {
            System.err.println("usage: ProfileDefaultNetwork VARIANT train|inference STEPS [BATCH]; VARIANT one of "
                    + Arrays.toString(DefaultNetwork.Variant.values()));
            System.exit(2);
        }
        DefaultNetwork.Variant variant = DefaultNetwork.Variant.valueOf(args[0]);
        boolean train = args[1].equals("train");
        int steps = Integer.parseInt(args[2]);
        int batchSize = args.length > 3 ? Integer.parseInt(args[3]) : DefaultNetwork.BATCH;
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        Nd4j.getRandom().setSeed(12345);
        ComputationGraph network = DefaultNetwork.build(variant);
        INDArray x = Nd4j.rand(DataType.FLOAT, batchSize, DefaultNetwork.CHANNELS, DefaultNetwork.SIZE,
                DefaultNetwork.SIZE);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batchSize, DefaultNetwork.CLASSES);
        for (int i = 0; i < batchSize; i++) {
            y.putScalar(i, i % DefaultNetwork.CLASSES, 1f);
        }
        DataSet batch = new DataSet(x, y);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] millis = new double[steps];
        double[] cpuMillis = new double[steps];
        for (int i = -WARMUP; i < steps; i++) {
            long start = System.nanoTime();
            long cpuStart = threads.getCurrentThreadCpuTime();
            if (train) {
                network.fit(batch);
            } else {
                network.outputSingle(false, x);
            }
            if (i >= 0) {
                millis[i] = (System.nanoTime() - start) / 1e6;
                cpuMillis[i] = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6;
            }
        }
        Arrays.sort(millis);
        Arrays.sort(cpuMillis);
        System.out.printf(Locale.ROOT, "%s %s: median %.1f ms per batch of %d over %d steps (%.0f images/s); "
                        + "CPU time of the calling thread %.1f ms per batch%n",
                variant, args[1], millis[steps / 2], batchSize, steps,
                1000.0 * batchSize / millis[steps / 2], cpuMillis[steps / 2]);
    }
}
