package org.bn4j.parallel;

import org.bn4j.BatchNorm;
import org.bn4j.ShapeInfoCache;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Synchronous data-parallel training of a DL4J network on every core of one machine: each mini-batch is split into
 * {@code R} shards, replica {@code r} (a copy of the network that shares its parameter array, on a thread of its own)
 * computes the forward and backward pass of shard {@code r}, the gradients are summed, and the network's own updater
 * applies one update. With {@link ReplicaStatistics#SYNCHRONIZED} batch statistics (the default) this is the same
 * SGD step as {@code network.fit(batch)} on the whole mini-batch, up to floating-point summation order:
 * <pre>
 *   μ_B, σ²_B over all N examples  (replicas exchange per-feature moments: synchronized BN, paper §3 Algorithm 1)
 *   g = Σ_r g_r                    (DL4J's per-example gradient sums; the updater divides by N)
 *   θ ← θ − update(g/N)            (one update, the network's own updater, listeners, iteration count)
 * </pre>
 *
 * <p>Use it like DL4J's {@code ParallelWrapper}, around your own {@link ComputationGraph} or
 * {@link MultiLayerNetwork}:
 * <pre>{@code
 * try (ParallelTrainer trainer = ParallelTrainer.builder(net).build()) {   // one replica per core
 *     for (int epoch = 0; epoch < epochs; epoch++) {
 *         trainer.fit(trainIterator);
 *     }
 * }
 * }</pre>
 * Replica 0 is the network itself, on the calling thread: its listeners, score, iteration and epoch counts and
 * updater state are what {@code fit} would give. Population statistics (moving or cumulative average) follow the
 * whole mini-batch's statistics, so they are those of single-network training; Algorithm 2
 * ({@code PopulationStatistics.estimate}) is unaffected.
 *
 * <p>During a step every native op runs on {@code threadsPerReplica} threads (libnd4j, BLAS, OpenMP of each
 * replica's thread; see {@link NativeThreadLimit}); between steps the previous settings hold (inference, validation).
 * {@link #close()} ends the replica threads.
 *
 * <p>Building a trainer installs {@link ShapeInfoCache} (JVM-wide, no effect on results): without it ND4J's shape
 * buffers made two training threads contend and the garbage collector's pauses long.
 *
 * <p>NOTE: why replicas and not more threads per op: on small layers (the example's network at 28×28) a second
 * OpenMP thread per op costs about as much as it gains, while a replica per core keeps each core on whole layers of
 * its own shard; docs/parallel.md has the measurements.
 *
 * <p>Limits: a mini-batch needs at least {@code R} examples; DL4J's built-in {@code BatchNormalization} cannot
 * synchronize its statistics (use bn4j's {@code BatchNorm}, or {@link ReplicaStatistics#PER_REPLICA}); per-layer
 * gradient normalization on a bn4j BN layer and truncated BPTT are refused. Dropout and other random layers draw
 * their own random numbers per replica.
 */
public final class ParallelTrainer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ParallelTrainer.class);

    /** The trained network (replica 0). */
    private final ReplicaNetwork network;
    /** Replicas 1 … R−1 (index 0 unused). */
    private final ShardReplica[] replicas;
    private final ExecutorService[] threads;
    private final ReplicaStatistics statistics;
    private final ReplicaPlacement placement;
    private final int threadsPerReplica;
    private final GradientReduction reduction;
    private final StepListener listener = new StepListener();
    private BatchStatisticsSync sync;
    private Step step;
    /** Nanoseconds summed over steps: wall, forward+backward, replica wait, reduction, update; and the step count. */
    private final long[] nanos = new long[6];
    private boolean closed;

    private ParallelTrainer(Builder b) {
        ReplicaNetwork network = ReplicaNetwork.of(b.network);
        validate(network, b);
        ShapeInfoCache.install();
        this.network = network;
        this.statistics = b.statistics;
        this.placement = b.placement;
        this.threadsPerReplica = b.threadsPerReplica > 0 ? b.threadsPerReplica
                : Math.max(1, Runtime.getRuntime().availableProcessors() / b.replicas);
        this.replicas = new ShardReplica[b.replicas];
        this.threads = new ExecutorService[b.replicas];
        for (int r = 1; r < b.replicas; r++) {
            try {
                replicas[r] = b.placement == ReplicaPlacement.PROCESSES
                        ? ProcessReplica.start(r, network, threadsPerReplica,
                                b.statistics == ReplicaStatistics.SYNCHRONIZED)
                        : new ThreadReplica(network);
            } catch (RuntimeException | Error e) {
                closeReplicas();
                throw e;
            }
            int index = r;
            threads[r] = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "bn4j-replica-" + index);
                thread.setDaemon(true);
                return thread;
            });
            threads[r].execute(() -> NativeThreadLimit.limitCurrentThread(threadsPerReplica));
        }
        this.reduction = new GradientReduction(network);
        this.sync = new BatchStatisticsSync(b.replicas);
        if (b.replicas > 1) {
            network.addFirstListener(listener);
        }
        log.info("bn4j ParallelTrainer: {} replica(s) x {} native thread(s), {} batch statistics, replicas on {}",
                b.replicas, threadsPerReplica, statistics, placement);
    }

    /** A builder for training {@code network} (initialized) on every core. */
    public static Builder builder(ComputationGraph network) {
        return new Builder(network);
    }

    /** A builder for training {@code network} (initialized) on every core. */
    public static Builder builder(MultiLayerNetwork network) {
        return new Builder(network);
    }

    /** The number of replicas, the network itself included. */
    public int replicas() {
        return replicas.length;
    }

    /** The native threads each replica's ops use. */
    public int threadsPerReplica() {
        return threadsPerReplica;
    }

    /** Which batch statistics the BN layers normalize with. */
    public ReplicaStatistics statistics() {
        return statistics;
    }

    /** Where replicas 1 … R−1 run. */
    public ReplicaPlacement placement() {
        return placement;
    }

    /**
     * One training step on {@code batch}, split over the replicas: the same step as {@code network.fit(batch)}.
     *
     * @throws IllegalArgumentException when the batch has fewer examples than there are replicas
     * @throws ReplicaFailedException   when a replica fails; the network is then as before the call
     */
    public void fit(DataSet batch) {
        fit(new org.nd4j.linalg.dataset.MultiDataSet(batch.getFeatures(), batch.getLabels(),
                batch.getFeaturesMaskArray(), batch.getLabelsMaskArray()));
    }

    /** One training step on {@code batch} (a ComputationGraph with several inputs or outputs); see {@link #fit(DataSet)}. */
    public void fit(MultiDataSet batch) {
        checkOpen();
        int n = Shards.examples(batch);
        if (n < replicas.length) {
            throw new IllegalArgumentException("ParallelTrainer: a mini-batch of " + n + " example(s) cannot be split "
                    + "over " + replicas.length + " replicas; use mini-batches of at least " + replicas.length
                    + " examples or fewer replicas");
        }
        int[] sizes = Shards.sizes(n, replicas.length);
        MultiDataSet[] shards = Shards.split(batch, sizes);
        NativeThreadLimit limit = NativeThreadLimit.apply(threadsPerReplica);
        int ompBefore = NativeThreadLimit.limitCurrentThread(threadsPerReplica);
        try {
            if (replicas.length == 1) {
                network.fit(shards[0]);
                return;
            }
            runStep(shards, sizes);
        } finally {
            NativeThreadLimit.restoreCurrentThread(ompBefore);
            limit.restore();
        }
    }

    /** One epoch over {@code iterator} (reset first when it is exhausted and can be reset), as {@code fit} does. */
    public void fit(DataSetIterator iterator) {
        epoch(iterator::hasNext, iterator.resetSupported(), iterator::reset, () -> fit(iterator.next()));
    }

    /** One epoch over {@code iterator}; see {@link #fit(DataSetIterator)}. */
    public void fit(MultiDataSetIterator iterator) {
        epoch(iterator::hasNext, iterator.resetSupported(), iterator::reset, () -> fit(iterator.next()));
    }

    /** An epoch as DL4J's {@code fit(iterator)} runs it: listeners' epoch start and end, then the epoch count. */
    private void epoch(BooleanSupplier hasNext, boolean resettable, Runnable reset, Runnable fitNext) {
        checkOpen();
        if (!hasNext.getAsBoolean() && resettable) {
            reset.run();
        }
        network.onEpochStart();
        while (hasNext.getAsBoolean()) {
            fitNext.run();
        }
        network.onEpochEnd();
        network.incrementEpochCount();
    }

    private void runStep(MultiDataSet[] shards, int[] sizes) {
        BatchStatisticsSync stepSync = statistics == ReplicaStatistics.SYNCHRONIZED ? sync : null;
        @SuppressWarnings("unchecked")
        Future<Double>[] results = new Future[replicas.length];
        int iteration = network.iterationCount();
        int epoch = network.epochCount();
        for (int r = 1; r < replicas.length; r++) {
            int index = r;
            results[r] = threads[r].submit(() -> replicaStep(index, shards[index], stepSync, iteration, epoch));
        }
        long start = System.nanoTime();
        step = new Step(results, sizes, start, new long[3]);
        if (stepSync != null) {
            stepSync.bind(0);
        }
        try {
            network.fit(shards[0]);
            long end = System.nanoTime();
            long[] marks = step.marks();
            nanos[0] += end - start;
            nanos[1] += marks[0] - start;
            nanos[2] += marks[1] - marks[0];
            nanos[3] += marks[2] - marks[1];
            nanos[4] += end - marks[2];
            nanos[5]++;
        } catch (RuntimeException | Error e) {
            if (step.marks()[2] != 0) {
                // every replica had finished and the gradient was reduced: the network's updater or one of its
                // listeners threw (a listener that stops training, say), not a replica; it propagates as thrown
                throw e;
            }
            throw abandon(results, stepSync, 0, e);
        } finally {
            BatchStatisticsSync.unbind();
            step = null;
        }
    }

    /** Forward and backward pass of one shard on replica {@code r}'s thread; returns the shard's score. */
    private double replicaStep(int r, MultiDataSet shard, BatchStatisticsSync stepSync, int iteration, int epoch) {
        try {
            return replicas[r].computeGradient(shard, stepSync == null ? null : stepSync.participant(r), iteration,
                    epoch);
        } catch (RuntimeException | Error e) {
            if (stepSync != null) {
                stepSync.abort(e);                 // wake the replicas waiting for this one
            }
            throw e;
        }
    }

    /**
     * After a failure seen by replica {@code seenBy}: aborts the synchronization, waits for every replica, and
     * returns the exception of the replica that failed first.
     */
    private RuntimeException abandon(Future<Double>[] results, BatchStatisticsSync stepSync, int seenBy,
                                     Throwable seen) {
        if (stepSync != null) {
            stepSync.abort(seen);
        }
        int failed = isAbort(seen) ? -1 : seenBy;
        Throwable cause = failed < 0 ? null : seen;
        for (int r = 1; r < results.length; r++) {
            try {
                results[r].get();
            } catch (ExecutionException e) {
                if (failed < 0 && !isAbort(e.getCause())) {
                    failed = r;
                    cause = e.getCause();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // cancelled: nothing to report
            }
        }
        if (stepSync != null) {
            sync = new BatchStatisticsSync(replicas.length, sync);   // a fresh meeting place for the next step
        }
        if (seen instanceof ReplicaFailedException already) {
            return already;
        }
        if (failed < 0) {
            failed = seenBy;
            cause = seen;
        }
        return new ReplicaFailedException(failed, replicas.length, cause);
    }

    private static boolean isAbort(Throwable t) {
        return t instanceof Rendezvous.StepAbortedException;
    }

    /**
     * Ends the replica threads; the network stays usable on its own.
     * Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (replicas.length > 1) {
            network.removeListener(listener);
        }
        closeReplicas();
    }

    /** Ends the replica threads and processes started so far. */
    private void closeReplicas() {
        for (ExecutorService thread : threads) {
            if (thread != null) {
                thread.shutdownNow();
            }
        }
        for (ExecutorService thread : threads) {
            if (thread != null) {
                try {
                    thread.awaitTermination(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        for (ShardReplica replica : replicas) {
            if (replica != null) {
                replica.close();
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("ParallelTrainer: closed; build a new one to train on several cores");
        }
    }

    private static void validate(ReplicaNetwork network, Builder b) {
        if (b.replicas < 1) {
            throw new IllegalArgumentException("ParallelTrainer: replicas must be >= 1, got " + b.replicas);
        }
        if (network.parameters() == null) {
            throw new IllegalArgumentException("ParallelTrainer: the network has no parameters yet; call init() first");
        }
        Model model = network.model();
        boolean tbptt = model instanceof ComputationGraph g
                ? g.getConfiguration().getBackpropType() == BackpropType.TruncatedBPTT
                : ((MultiLayerNetwork) model).getLayerWiseConfigurations().getBackpropType()
                        == BackpropType.TruncatedBPTT;
        if (tbptt && b.replicas > 1) {
            throw new IllegalArgumentException("ParallelTrainer: truncated BPTT keeps recurrent state between calls "
                    + "and cannot be split over replicas");
        }
        for (Layer layer : network.layers()) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            String name = "layer " + layer.getIndex() + " (" + conf.getLayerName() + ")";
            if (conf instanceof BatchNormalization && b.statistics == ReplicaStatistics.SYNCHRONIZED
                    && b.replicas > 1) {
                throw new IllegalArgumentException("ParallelTrainer: " + name + " is DL4J's built-in "
                        + "BatchNormalization, whose batch statistics cannot be synchronized across replicas; convert "
                        + "it to bn4j's BatchNorm (BatchNormConversion) or use ReplicaStatistics.PER_REPLICA");
            }
            if (conf instanceof BatchNorm bn && b.replicas > 1 && bn.getGradientNormalization() != null
                    && bn.getGradientNormalization() != GradientNormalization.None) {
                throw new IllegalArgumentException("ParallelTrainer: " + name + " normalizes its γ/β gradient "
                        + "itself (" + bn.getGradientNormalization() + "), which needs the whole batch's gradient; "
                        + "remove the gradient normalization or train with one replica");
            }
        }
    }

    /**
     * The step in flight: the other replicas' results, the shard sizes, its start and the times (nanoTime) when
     * replica 0's gradient was ready, the other replicas' too, and the reduction was done.
     */
    private record Step(Future<Double>[] results, int[] sizes, long start, long[] marks) {
    }

    /**
     * Where the steps' time went since the trainer was built or {@link #resetTimings()} (replicas &gt; 1; one
     * replica runs the network's own {@code fit} and records nothing).
     */
    public StepTimings timings() {
        return new StepTimings(nanos[5], nanos[0] / 1e9, nanos[1] / 1e9, sync.waitNanos(0) / 1e9, nanos[2] / 1e9,
                nanos[3] / 1e9, nanos[4] / 1e9);
    }

    /** Starts {@link #timings()} afresh. */
    public void resetTimings() {
        java.util.Arrays.fill(nanos, 0);
        sync.resetWaits();
    }

    /**
     * Runs on the calling thread inside {@code network.fit(shard 0)}, after replica 0's gradient and before the
     * updater: waits for the other replicas and makes the gradient and score those of the whole mini-batch.
     */
    private final class StepListener extends BaseTrainingListener {
        @Override
        public void onGradientCalculation(Model model) {
            Step current = step;
            if (current == null || model != network.model()) {
                return;                     // a plain fit() of the network, not one of this trainer's steps
            }
            current.marks()[0] = System.nanoTime();
            int n = 0;
            for (int size : current.sizes()) {
                n += size;
            }
            double score = network.score() * current.sizes()[0] / n;
            for (int r = 1; r < replicas.length; r++) {
                try {
                    score += current.results()[r].get() * current.sizes()[r] / n;
                } catch (ExecutionException e) {
                    throw abandon(current.results(),
                            statistics == ReplicaStatistics.SYNCHRONIZED ? sync : null, r, e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw abandon(current.results(),
                            statistics == ReplicaStatistics.SYNCHRONIZED ? sync : null, 0, e);
                }
            }
            current.marks()[1] = System.nanoTime();
            INDArray[] others = new INDArray[replicas.length - 1];
            for (int r = 1; r < replicas.length; r++) {
                others[r - 1] = replicas[r].gradients();
            }
            reduction.reduce(network.gradients(), others, current.sizes(), statistics, network.dividesByMiniBatch());
            network.setScore(score);
            current.marks()[2] = System.nanoTime();
        }
    }

    /** Configuration of a {@link ParallelTrainer}. */
    public static final class Builder {
        private final Model network;
        private int replicas = Runtime.getRuntime().availableProcessors();
        private int threadsPerReplica;
        private ReplicaStatistics statistics = ReplicaStatistics.SYNCHRONIZED;
        private ReplicaPlacement placement = ReplicaPlacement.THREADS;

        private Builder(Model network) {
            this.network = network;
        }

        /** Replicas (threads), the network itself included. Defaults to the number of available processors. */
        public Builder replicas(int replicas) {
            this.replicas = replicas;
            return this;
        }

        /**
         * Native threads per op on each replica. Defaults to {@code max(1, processors / replicas)} (0 = default).
         */
        public Builder threadsPerReplica(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("ParallelTrainer: threadsPerReplica must be >= 0 (0 = processors / "
                        + "replicas), got " + threads);
            }
            this.threadsPerReplica = threads;
            return this;
        }

        /** Which batch statistics BN layers normalize with. Defaults to {@link ReplicaStatistics#SYNCHRONIZED}. */
        public Builder statistics(ReplicaStatistics statistics) {
            this.statistics = java.util.Objects.requireNonNull(statistics, "statistics");
            return this;
        }

        /** Where replicas other than the network itself run. Defaults to {@link ReplicaPlacement#THREADS}. */
        public Builder placement(ReplicaPlacement placement) {
            this.placement = java.util.Objects.requireNonNull(placement, "placement");
            return this;
        }

        /** The trainer; {@link ParallelTrainer#close()} it when done. */
        public ParallelTrainer build() {
            return new ParallelTrainer(this);
        }
    }
}
