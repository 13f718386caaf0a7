package org.bn4j.parallel;

/**
 * Where a {@link ParallelTrainer} runs its replicas other than the network itself (replica 0, always on the calling
 * thread). Both give the same step, bit for bit for a fixed replica count: only the place of the forward and backward
 * pass of a shard changes.
 */
public enum ReplicaPlacement {

    /**
     * On threads of this JVM (one per replica). Nothing to start; but the replicas share one garbage collector,
     * allocator and ND4J's process-wide structures, which cost a share of every extra core (docs/parallel.md).
     */
    THREADS,

    /**
     * In worker JVMs started by the trainer (one per replica, same {@code java}, class path and JVM options), which
     * receive the parameters and their shard every step over a Unix-domain socket and send back their gradient;
     * synchronized BN meets through the trainer's JVM. Costs a JVM start per replica when the trainer is built
     * (seconds) and a copy of the parameters and the gradient per replica per step; in exchange each replica has its
     * own collector and heap.
     */
    PROCESSES
}
