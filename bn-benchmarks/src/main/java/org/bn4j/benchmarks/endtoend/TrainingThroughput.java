package org.bn4j.benchmarks.endtoend;

import org.bn4j.ShapeInfoCache;
import org.bn4j.inception.net.ConvolutionKind;
import org.bn4j.parallel.ParallelTrainer;
import org.bn4j.parallel.ReplicaPlacement;
import org.bn4j.parallel.ReplicaStatistics;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Locale;

/**
 * Images per second of training steps ({@code fit} of one mini-batch) and of inference batches of the example's
 * network, in one JVM, in the way a fresh process measures them: the network built as {@link DefaultNetwork} (any
 * image size, channels and width), random inputs, a warm-up, then several timed repeats whose median and range are
 * printed. The companion of {@code bn-benchmarks/pytorch_e2e.py --throughput} for side-by-side runs.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bn-benchmarks/target/benchmarks.jar \
 *     org.bn4j.benchmarks.endtoend.TrainingThroughput MODE [size channels width batch] [steps repeats]
 * </pre>
 * MODE is {@code fit} (the network's own {@code fit}, libnd4j's threads as configured, e.g. by
 * {@code OMP_NUM_THREADS}) or {@code replicas=R} ({@link ParallelTrainer} with R replicas, one native thread each
 * when R equals the cores), {@code ghost=R} (the same with per-replica batch statistics), {@code processes=R} (replicas 1 … R−1 in
 * processes of their own, {@link ReplicaPlacement#PROCESSES}), {@code independent=R} (R
 * unsynchronized networks on half batches: the in-process ceiling) or {@code wrapper=W} (DL4J's ParallelWrapper).
 * Defaults: 28 1 0.25 64 (the example's default network), 20 steps, 5 repeats. Every mode runs with bn4j's
 * {@link ShapeInfoCache} installed, as {@code ParallelTrainer} has it; {@code -Dbn4j.shapeCache=off} measures
 * without it.
 */
public final class TrainingThroughput {

    private TrainingThroughput() {
    }

    public static void main(String[] args) {
        String mode = args.length > 0 ? args[0] : "fit";
        int size = args.length > 1 ? Integer.parseInt(args[1]) : DefaultNetwork.SIZE;
        int channels = args.length > 2 ? Integer.parseInt(args[2]) : DefaultNetwork.CHANNELS;
        double width = args.length > 3 ? Double.parseDouble(args[3]) : DefaultNetwork.WIDTH;
        int batchSize = args.length > 4 ? Integer.parseInt(args[4]) : DefaultNetwork.BATCH;
        int steps = args.length > 5 ? Integer.parseInt(args[5]) : 20;
        int repeats = args.length > 6 ? Integer.parseInt(args[6]) : 5;

        ShapeInfoCache.install();              // as ParallelTrainer does: fit gets the same (-Dbn4j.shapeCache=off: none)
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        Nd4j.getRandom().setSeed(12345);
        ComputationGraph network = new ComputationGraph(
                DefaultNetwork.builder(ConvolutionKind.FAST, size, channels, width).buildConfiguration());
        network.init();
        DataSet batch = randomBatch(batchSize, channels, size);
        INDArray features = batch.getFeatures();

        ParallelTrainer trainer = null;
        if (mode.startsWith("replicas=") || mode.startsWith("ghost=") || mode.startsWith("processes=")) {
            trainer = ParallelTrainer.builder(network).replicas(Integer.parseInt(mode.substring(mode.indexOf('=') + 1)))
                    .statistics(mode.startsWith("ghost=") ? ReplicaStatistics.PER_REPLICA
                            : ReplicaStatistics.SYNCHRONIZED)
                    .placement(mode.startsWith("processes=") ? ReplicaPlacement.PROCESSES : ReplicaPlacement.THREADS)
                    .build();
        }
        ParallelTrainer parallel = trainer;
        if (mode.startsWith("wrapper=")) {
            wrapper(network, batch, Integer.parseInt(mode.substring(8)), steps, repeats);
            return;
        }
        if (mode.startsWith("independent=")) {
            independent(Integer.parseInt(mode.substring(12)), size, channels, width, batchSize, steps, repeats);
            return;
        }
        Runnable step = parallel == null ? () -> network.fit(batch) : () -> parallel.fit(batch);
        System.out.printf(Locale.ROOT, "network %dx%dx%d width %.2f, %d parameters, batch %d, mode %s, "
                        + "libnd4j threads %d, cores %d, shape cache %s%n", size, size, channels, width,
                network.numParams(), batchSize, mode, Nd4j.getEnvironment().maxThreads(),
                Runtime.getRuntime().availableProcessors(), ShapeInfoCache.installed() ? "on" : "off");

        for (int i = 0; i < Math.max(3, steps / 2); i++) {
            step.run();
        }
        if (parallel != null) {
            parallel.resetTimings();
        }
        double[] train = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                step.run();
            }
            train[r] = steps * (double) batchSize / ((System.nanoTime() - start) / 1e9);
        }
        if (trainer != null) {
            System.out.println("training step parts: " + trainer.timings());
            trainer.close();
        }
        for (int i = 0; i < 3; i++) {
            network.outputSingle(false, features);
        }
        double[] infer = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                network.outputSingle(false, features);
            }
            infer[r] = steps * (double) batchSize / ((System.nanoTime() - start) / 1e9);
        }
        report("training", train);
        report("inference", infer);
        System.exit(0);
    }

    /**
     * {@code n} independent networks of the same configuration, each fitting its own half batch on a thread of its
     * own, with no synchronization: the in-process ceiling of {@code replicas=n} (total images/s).
     */
    private static void independent(int n, int size, int channels, double width, int batchSize, int steps,
                                    int repeats) {
        int shard = batchSize / n;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(n);
        double[][] rates = new double[n][repeats];
        Thread[] threads = new Thread[n];
        for (int t = 0; t < n; t++) {
            int index = t;
            threads[t] = new Thread(() -> {
                ComputationGraph net = new ComputationGraph(
                        DefaultNetwork.builder(ConvolutionKind.FAST, size, channels, width).buildConfiguration());
                net.init();
                DataSet b = randomBatch(shard, channels, size);
                try {
                    for (int i = 0; i < Math.max(3, steps / 2); i++) {
                        net.fit(b);
                    }
                    for (int r = 0; r < repeats; r++) {
                        start.await();
                        long t0 = System.nanoTime();
                        for (int i = 0; i < steps; i++) {
                            net.fit(b);
                        }
                        rates[index][r] = steps * (double) shard / ((System.nanoTime() - t0) / 1e9);
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
        }
        double[] total = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            for (int t = 0; t < n; t++) {
                total[r] += rates[t][r];
            }
        }
        report("training (sum of " + n + " independent networks)", total);
        System.exit(0);
    }

    /**
     * DL4J's {@code ParallelWrapper} (parameter averaging after every iteration, its default training mode) with
     * {@code workers} workers, each fitting whole mini-batches: images/s over all workers.
     */
    private static void wrapper(ComputationGraph network, DataSet batch, int workers, int steps, int repeats) {
        ParallelWrapper wrapper = new ParallelWrapper.Builder<>(network).workers(workers).prefetchBuffer(2)
                .averagingFrequency(1).build();
        java.util.List<DataSet> batches = java.util.Collections.nCopies(steps * workers, batch);
        wrapper.fit(new ExistingDataSetIterator(batches.subList(0, Math.max(workers * 3, batches.size() / 2))));
        double[] rates = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            wrapper.fit(new ExistingDataSetIterator(batches));
            rates[r] = batches.size() * (double) batch.numExamples() / ((System.nanoTime() - start) / 1e9);
        }
        try {
            wrapper.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        report("training (ParallelWrapper, " + workers + " workers, averaging every iteration)", rates);
        System.exit(0);
    }

    /** Random images in [0, 1) with labels cycling over the classes (the speed does not depend on the values). */
    private static DataSet randomBatch(int examples, int channels, int size) {
        INDArray features = Nd4j.rand(DataType.FLOAT, examples, channels, size, size);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, examples, DefaultNetwork.CLASSES);
        for (int i = 0; i < examples; i++) {
            labels.putScalar(i, i % DefaultNetwork.CLASSES, 1f);
        }
        return new DataSet(features, labels);
    }

    private static void report(String what, double[] imagesPerSecond) {
        double[] sorted = imagesPerSecond.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%s images/s: median %.1f, range %.1f-%.1f, repeats %s%n", what,
                sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1], Arrays.toString(
                        Arrays.stream(imagesPerSecond).map(v -> Math.round(v * 10) / 10.0).toArray()));
    }
}
