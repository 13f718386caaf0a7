package org.bn4j.parallel;

/**
 * A replica of a {@link ParallelTrainer} step failed: the step was abandoned before any update, so the network's
 * parameters, updater state and iteration count are those from before the step. The cause is the replica's own
 * exception.
 */
public class ReplicaFailedException extends RuntimeException {

    private final int replica;

    ReplicaFailedException(int replica, int replicas, Throwable cause) {
        super("ParallelTrainer: replica " + replica + " of " + replicas + " failed; the step was abandoned and the "
                + "network left as before it: " + cause, cause);
        this.replica = replica;
    }

    /** The index of the replica that failed first (0 = the network itself, on the calling thread). */
    public int replica() {
        return replica;
    }
}
