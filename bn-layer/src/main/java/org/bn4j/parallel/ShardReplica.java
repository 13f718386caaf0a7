package org.bn4j.parallel;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * A replica {@code r ≥ 1} of a {@link ParallelTrainer}: computes the gradient of its shard with the trainer's current
 * parameters, on a thread of this JVM ({@link ThreadReplica}) or in a process of its own ({@link ProcessReplica}).
 */
interface ShardReplica extends AutoCloseable {

    /**
     * Forward and backward pass of {@code shard} in training mode at the given iteration and epoch; BN layers meet
     * the other replicas through {@code participant} (null: each shard's own statistics). Returns the shard's score
     * and leaves its gradient in {@link #gradients()}. Runs on the replica's thread of the trainer.
     */
    double computeGradient(MultiDataSet shard, BatchStatisticsSync.Participant participant, int iteration, int epoch);

    /** The flat gradient of the last {@link #computeGradient}, laid out as the network's. */
    INDArray gradients();

    @Override
    void close();
}
