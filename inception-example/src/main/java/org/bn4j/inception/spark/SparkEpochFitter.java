package org.bn4j.inception.spark;

import org.bn4j.inception.UserError;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.bn4j.statistics.PopulationEstimate;
import org.bn4j.inception.train.EpochFitter;
import org.bn4j.inception.train.ProgressReporter;
import org.bn4j.inception.train.TrainingState;
import org.bn4j.spark.SparkGraphTrainer;
import org.bn4j.spark.SparkPopulationStatistics;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.ArrayList;
import java.util.List;

/**
 * Fits each epoch of the example's {@code Trainer} through Spark with one of DL4J's training masters, and runs
 * Algorithm 2 on the executors ({@link SparkPopulationStatistics}) — see module bn-spark and docs/spark.md.
 *
 * <p>The driver reads the epoch's mini-batches from the image folders (in the recipe's order, with its augmentation)
 * and ships them to the executors as an RDD of {@code partitions} slices: the image folders need to be readable by
 * the driver only, and the epoch's mini-batches must fit in the driver's memory.
 *
 * <p>Iterations: an epoch counts as many iterations as it has mini-batches, as on one machine, so the recipe's
 * per-iteration learning-rate schedule is where a single-machine run would have it at every epoch start. (DL4J's
 * workers each do about 1/workers of those steps.) The reported loss is the workers' mean loss on their last
 * mini-batch of the epoch.
 */
public final class SparkEpochFitter implements EpochFitter {

    private final JavaSparkContext sc;
    private final TrainingMaster<?, ?> master;
    private final int partitions;
    private SparkGraphTrainer trainer;

    /** Fits through {@code sc} with {@code master}, the mini-batches split into {@code partitions} slices. */
    public SparkEpochFitter(JavaSparkContext sc, TrainingMaster<?, ?> master, int partitions) {
        if (partitions < 1) {
            throw new UserError("partitions must be at least 1, got " + partitions);
        }
        this.sc = sc;
        this.master = master;
        this.partitions = partitions;
    }

    @Override
    public TrainingState fitEpoch(ComputationGraph network, DataSetIterator batches, TrainingState state,
                                  ProgressReporter progress) {
        List<DataSet> epoch = drain(batches, Integer.MAX_VALUE);
        if (epoch.isEmpty()) {
            return state;
        }
        long start = System.nanoTime();
        int iterations = network.getIterationCount();
        JavaRDD<DataSet> data = sc.parallelize(epoch, partitions);
        try {
            trainerFor(network).fitEpoch(data);
        } finally {
            data.unpersist(false);
        }
        network.getConfiguration().setIterationCount(iterations + epoch.size());
        double seconds = (System.nanoTime() - start) / 1e9;
        double loss = trainer.lastScore();
        for (DataSet batch : epoch) {
            state = state.afterBatch(loss, batch.numExamples(), seconds / epoch.size());
            progress.batchDone(loss, state.imagesDone() / Math.max(1e-9, state.seconds()));
        }
        return state;
    }

    @Override
    public PopulationEstimate estimatePopulation(ComputationGraph network, DataSetIterator batches, int maxBatches) {
        return SparkPopulationStatistics.estimate(network, sc.parallelize(drain(batches, maxBatches), partitions),
                maxBatches);
    }

    private SparkGraphTrainer trainerFor(ComputationGraph network) {
        if (trainer == null || trainer.network() != network) {
            trainer = new SparkGraphTrainer(sc, network, master).populationBatches(0); // the Trainer runs the pass
        }
        return trainer;
    }

    /** Up to {@code max} mini-batches, copied out of any workspace of the (prefetching) iterator. */
    private static List<DataSet> drain(DataSetIterator batches, int max) {
        List<DataSet> out = new ArrayList<>();
        while (out.size() < max && batches.hasNext()) {
            org.nd4j.linalg.dataset.api.DataSet batch = batches.next();
            out.add(new DataSet(batch.getFeatures().detach(), batch.getLabels().detach()));
        }
        return out;
    }
}
