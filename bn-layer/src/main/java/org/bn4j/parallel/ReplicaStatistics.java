package org.bn4j.parallel;

/**
 * Which batch statistics a bn4j {@code BatchNorm} layer normalizes with when a {@link ParallelTrainer} splits a
 * mini-batch over replicas.
 */
public enum ReplicaStatistics {

    /**
     * Those of the whole mini-batch (synchronized batch normalization): the replicas exchange per-feature moments in
     * the forward pass and the two per-feature sums of the backward pass, so the step is Algorithm 1 over the whole
     * mini-batch, exactly as one network would compute it. The default.
     */
    SYNCHRONIZED,

    /**
     * Those of each replica's shard ("ghost batches" of size batch/replicas, Hoffer et al. 2017): no exchange; the
     * population statistics follow the average of the replicas' batch statistics.
     */
    PER_REPLICA
}
