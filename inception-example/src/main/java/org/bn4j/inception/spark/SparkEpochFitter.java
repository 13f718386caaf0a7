package org.bn4j.inception.spark;

import org.bn4j.inception.train.EpochFitter;
import org.bn4j.inception.train.ProgressReporter;
import org.bn4j.inception.train.TrainingState;
import org.bn4j.spark.DriverBatches;
import org.bn4j.spark.SparkGraphTrainer;
import org.bn4j.statistics.PopulationEstimate;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.List;
import java.util.function.Function;

/**
 * The example's {@code Trainer} fitting each epoch through bn-spark's {@link SparkGraphTrainer} (see docs/spark.md):
 * this class only hands it the epoch's mini-batches and books the result into the {@link TrainingState} and the
 * progress display; training and Algorithm 2 on the executors are bn-spark's.
 *
 * <p>The driver reads the epoch's mini-batches from the image folders (in the recipe's order, with its augmentation,
 * {@link DriverBatches}): the image folders need to be readable by the driver only, and the epoch's mini-batches must
 * fit in the driver's memory. An epoch counts as many iterations as it has mini-batches, as on one machine
 * ({@link SparkGraphTrainer#fitEpoch(List)}). The reported loss is the workers' mean loss on their last mini-batch of
 * the epoch, booked for every mini-batch.
 */
public final class SparkEpochFitter implements EpochFitter {

    private final Function<ComputationGraph, SparkGraphTrainer> trainers;
    private SparkGraphTrainer trainer;

    /** Fits through the trainer that {@code trainers} makes for the network being trained. */
    public SparkEpochFitter(Function<ComputationGraph, SparkGraphTrainer> trainers) {
        this.trainers = trainers;
    }

    @Override
    public TrainingState fitEpoch(ComputationGraph network, DataSetIterator batches, TrainingState state,
                                  ProgressReporter progress) {
        List<DataSet> epoch = DriverBatches.read(batches, Integer.MAX_VALUE);
        if (epoch.isEmpty()) {
            return state;
        }
        long start = System.nanoTime();
        SparkGraphTrainer spark = trainerFor(network);
        spark.fitEpoch(epoch);
        double seconds = (System.nanoTime() - start) / 1e9;
        double loss = spark.lastScore();
        for (DataSet batch : epoch) {
            state = state.afterBatch(loss, batch.numExamples(), seconds / epoch.size());
            progress.batchDone(loss, state.imagesDone() / Math.max(1e-9, state.seconds()));
        }
        return state;
    }

    @Override
    public PopulationEstimate estimatePopulation(ComputationGraph network, DataSetIterator batches, int maxBatches) {
        return trainerFor(network).populationBatches(maxBatches)
                .estimatePopulation(DriverBatches.read(batches, maxBatches));
    }

    private SparkGraphTrainer trainerFor(ComputationGraph network) {
        if (trainer == null || trainer.network() != network) {
            trainer = trainers.apply(network);
        }
        return trainer;
    }
}
