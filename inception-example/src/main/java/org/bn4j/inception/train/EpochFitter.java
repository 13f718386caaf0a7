package org.bn4j.inception.train;

import org.bn4j.statistics.PopulationEstimate;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.io.IOException;

/**
 * Fits a whole epoch somewhere other than this JVM's own loop (for example on Spark: module bn-spark), for a
 * {@link TrainingRun} that keeps doing everything else: epoch order, validation, checkpoints, metrics, final model.
 * Without one ({@link TrainingRun.Builder#epochFitter}), the run fits batch by batch on this machine.
 */
public interface EpochFitter {

    /**
     * Fits the mini-batches of {@code batches} (one epoch, or its rest after a resume, in the recipe's order) into
     * {@code network}, which must hold the new parameters afterwards, and returns {@code state} after them.
     */
    TrainingState fitEpoch(ComputationGraph network, DataSetIterator batches, TrainingState state,
                           ProgressReporter progress) throws IOException;

    /** Algorithm 2: population statistics of every BN layer from up to {@code maxBatches} of {@code batches}. */
    PopulationEstimate estimatePopulation(ComputationGraph network, DataSetIterator batches, int maxBatches);
}
