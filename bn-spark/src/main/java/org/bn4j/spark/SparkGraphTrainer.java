package org.bn4j.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.bn4j.statistics.PopulationEstimate;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Trains a {@link ComputationGraph} (such as BN-Inception) on Spark with one of DL4J's {@link TrainingMasters}, then
 * replaces what the training master left in the batch-normalization layers by exact population statistics: the
 * distributed Algorithm 2 of {@link SparkPopulationStatistics} over up to {@link #populationBatches(int)} training
 * mini-batches, by default.
 *
 * <p>The network object passed in is the one trained: after {@link #fitEpoch} it holds the new parameters.
 *
 * <pre>
 *   SparkGraphTrainer trainer = new SparkGraphTrainer(sc, graph, TrainingMasters.parameterAveraging(32, 5));
 *   trainer.fit(trainRdd, 3);   // 3 epochs, then Algorithm 2 over up to 100 training mini-batches
 * </pre>
 *
 * <p>A caller that runs its own epoch loop (validation, checkpoints) on data only the driver reads uses the list
 * methods instead, one epoch at a time:
 * <pre>
 *   trainer.fitEpoch(DriverBatches.read(epochIterator, Integer.MAX_VALUE));
 *   trainer.estimatePopulation(DriverBatches.read(trainIterator, 100));
 * </pre>
 */
public final class SparkGraphTrainer {

    /** Default of {@link #populationBatches(int)}. */
    public static final int DEFAULT_POPULATION_BATCHES = 100;

    private static final Logger log = LoggerFactory.getLogger(SparkGraphTrainer.class);

    private final JavaSparkContext sc;
    private final SparkComputationGraph spark;
    private int populationBatches = DEFAULT_POPULATION_BATCHES;
    private int partitions;

    /** Trains {@code network} through {@code sc} with {@code master}. */
    public SparkGraphTrainer(JavaSparkContext sc, ComputationGraph network, TrainingMaster<?, ?> master) {
        this.sc = sc;
        this.spark = new SparkComputationGraph(sc, network, master);
        this.partitions = sc.defaultParallelism();
    }

    /**
     * Mini-batches for the Algorithm 2 pass after {@link #fit}; 0 keeps the statistics the training master left
     * (see {@link TrainingMasters} for why that is wrong). Defaults to {@value #DEFAULT_POPULATION_BATCHES}.
     */
    public SparkGraphTrainer populationBatches(int maxBatches) {
        if (maxBatches < 0) {
            throw new IllegalArgumentException("population batches must be >= 0, got " + maxBatches);
        }
        this.populationBatches = maxBatches;
        return this;
    }

    /**
     * Slices of the RDD that {@link #fitEpoch(List)} and {@link #estimatePopulation(List)} make of the driver's
     * mini-batches (at least 1). Defaults to the Spark context's default parallelism.
     */
    public SparkGraphTrainer partitions(int slices) {
        if (slices < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + slices);
        }
        this.partitions = slices;
        return this;
    }

    /** The network being trained (the one given to the constructor). */
    public ComputationGraph network() {
        return spark.getNetwork();
    }

    /**
     * One pass of the training master over {@code data}; returns the network with its new parameters. The network's
     * iteration count is what the training master leaves (see {@link #fitEpoch(List)} for one that counts as on one
     * machine).
     */
    public ComputationGraph fitEpoch(JavaRDD<DataSet> data) {
        long start = System.nanoTime();
        spark.fit(data);
        log.info("Spark epoch done in {} s, score {}", String.format(java.util.Locale.ROOT, "%.1f",
                (System.nanoTime() - start) / 1e9), lastScore());
        return spark.getNetwork();
    }

    /**
     * The mean over workers of the loss of their last mini-batch in the last {@link #fitEpoch}. (DL4J's
     * parameter-averaging master reports it through {@code SparkComputationGraph.getScore()}, the gradient-sharing
     * master only through the network's own score.)
     */
    public double lastScore() {
        double score = spark.getScore();
        return score != 0.0 ? score : spark.getNetwork().score();
    }

    /**
     * One epoch over mini-batches the driver holds (see {@link DriverBatches}): shipped to the executors as an RDD of
     * {@link #partitions(int)} slices and fitted by {@link #fitEpoch(JavaRDD)}. Afterwards the network's iteration
     * count has grown by {@code batches.size()}, as a single-machine fit over them would leave it (DL4J's workers
     * each take only their share of those steps), so a per-iteration learning-rate schedule is where a
     * single-machine run would have it at every epoch start. An empty list fits nothing.
     */
    public ComputationGraph fitEpoch(List<DataSet> batches) {
        ComputationGraph network = spark.getNetwork();
        if (batches.isEmpty()) {
            return network;
        }
        int iterations = network.getIterationCount();
        JavaRDD<DataSet> data = sc.parallelize(batches, partitions);
        try {
            fitEpoch(data);
        } finally {
            data.unpersist(false); // gradient sharing persists the RDD it is given
        }
        network.getConfiguration().setIterationCount(iterations + batches.size());
        return network;
    }

    /** The distributed Algorithm 2 over up to {@link #populationBatches(int)} mini-batches of {@code data}. */
    public PopulationEstimate estimatePopulation(JavaRDD<DataSet> data) {
        if (populationBatches == 0) {
            throw new IllegalStateException("population batches is 0: the pass is switched off");
        }
        return SparkPopulationStatistics.estimate(spark.getNetwork(), data, populationBatches);
    }

    /**
     * The distributed Algorithm 2 over up to {@link #populationBatches(int)} of the mini-batches the driver holds,
     * shipped as an RDD of {@link #partitions(int)} slices.
     */
    public PopulationEstimate estimatePopulation(List<DataSet> batches) {
        return estimatePopulation(sc.parallelize(batches, partitions));
    }

    /**
     * {@code epochs} passes over {@code data}, then (unless {@link #populationBatches(int)} is 0) the Algorithm 2
     * pass over its first mini-batches. The RDD is read once per epoch and twice by the pass: persist it for parameter
     * averaging; gradient sharing persists it itself (DL4J's SharedTrainingMaster fails on an RDD that already has a
     * storage level).
     */
    public ComputationGraph fit(JavaRDD<DataSet> data, int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        for (int epoch = 0; epoch < epochs; epoch++) {
            fitEpoch(data);
        }
        if (populationBatches > 0) {
            PopulationEstimate estimate = estimatePopulation(data);
            log.info("population statistics of {} BN layers from {} training mini-batches (Algorithm 2 on Spark)",
                    estimate.layers().size(), estimate.batches());
        }
        return spark.getNetwork();
    }
}
