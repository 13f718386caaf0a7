package org.bn4j.parallel;

import org.bn4j.math.BatchMoments;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Synchronized batch normalization across the replicas of one {@link ParallelTrainer}: where a bn4j BN layer running
 * on a replica's thread meets the same layer on the other replicas.
 *
 * <p>A layer asks {@link #current()}; outside a synchronized step (plain {@code fit}, inference, per-replica
 * statistics) it gets null and normalizes with its own batch. Inside, it exchanges
 * <ul>
 *   <li>in the forward pass its shard's count, mean and biased variance per feature, combined into the whole
 *       mini-batch's ({@link BatchMoments});</li>
 *   <li>in the backward pass its shard's {@code Σ dy} and {@code Σ dy·x̂} per feature, summed over the replicas,
 *       which the input gradient of Algorithm 1 needs over the whole mini-batch.</li>
 * </ul>
 * Every replica combines the same deposits in replica order, so all hold bitwise the same statistics.
 */
public final class BatchStatisticsSync {

    private static final ThreadLocal<Participant> CURRENT = new ThreadLocal<>();

    private final int replicas;
    private final Map<String, Rendezvous> points = new ConcurrentHashMap<>();
    private volatile Throwable aborted;
    /** Nanoseconds each replica waited at meeting points (written by that replica's thread only). */
    private final long[] waits;

    BatchStatisticsSync(int replicas) {
        this.replicas = replicas;
        this.waits = new long[replicas];
    }

    /** A fresh synchronization after an abandoned step, keeping the waiting times of {@code previous}. */
    BatchStatisticsSync(int replicas, BatchStatisticsSync previous) {
        this(replicas);
        System.arraycopy(previous.waits, 0, waits, 0, replicas);
    }

    /** Nanoseconds replica {@code replica} has waited at meeting points. */
    long waitNanos(int replica) {
        return waits[replica];
    }

    void resetWaits() {
        java.util.Arrays.fill(waits, 0);
    }

    /** The synchronization of the step this thread is running as a replica, or null. */
    public static Participant current() {
        return CURRENT.get();
    }

    /** Makes this thread replica {@code replica} of this synchronization until {@link #unbind()}. */
    void bind(int replica) {
        CURRENT.set(participant(replica));
    }

    /** Replica {@code replica}'s side of this synchronization (a relay of a replica process uses it directly). */
    Participant participant(int replica) {
        return new LocalParticipant(this, replica);
    }

    /** Makes this thread use {@code participant} until {@link #unbind()} (a replica process's side). */
    static void bind(Participant participant) {
        CURRENT.set(participant);
    }

    static void unbind() {
        CURRENT.remove();
    }

    /** Abandons the step: every replica waiting, or arriving later, at any point gets an exception. */
    void abort(Throwable cause) {
        if (aborted == null) {
            aborted = cause;
        }
        points.values().forEach(point -> point.abort(cause));
    }

    private Rendezvous point(String key) {
        Rendezvous point = points.computeIfAbsent(key, k -> new Rendezvous(replicas));
        Throwable cause = aborted;
        if (cause != null) {
            point.abort(cause);
        }
        return point;
    }

    /**
     * One replica's side of the synchronization, as a BN layer sees it: in the replica's thread of this JVM, or in a
     * replica process ({@link ReplicaPlacement#PROCESSES}), where it forwards to the trainer's JVM.
     */
    public interface Participant {

        /** This replica's index (0 = the trained network itself). */
        int replica();

        /**
         * Replaces this shard's per-feature {@code mean} and biased {@code variance} over {@code m} values with those
         * of the whole mini-batch and returns its count of values per feature. {@code layer} names the layer, the
         * same on every replica.
         */
        long combineMoments(String layer, long m, double[] mean, double[] variance);

        /** Replaces this shard's per-feature sums {@code Σ dy·x̂} and {@code Σ dy} with their sums over replicas. */
        void sumGradients(String layer, double[] dGamma, double[] dBeta);
    }

    /** A replica on a thread of this JVM: meets the others at this synchronization's {@link Rendezvous} points. */
    private static final class LocalParticipant implements Participant {
        private final BatchStatisticsSync sync;
        private final int replica;

        private LocalParticipant(BatchStatisticsSync sync, int replica) {
            this.sync = sync;
            this.replica = replica;
        }

        @Override
        public int replica() {
            return replica;
        }

        @Override
        public long combineMoments(String layer, long m, double[] mean, double[] variance) {
            double[][] arrays = {{m}, mean, variance};
            sync.point(layer + "/forward").exchange(replica, arrays, sync.waits, deposits -> {
                int n = deposits.length;
                long[] counts = new long[n];
                double[][] means = new double[n][];
                double[][] variances = new double[n][];
                for (int r = 0; r < n; r++) {
                    counts[r] = (long) deposits[r][0][0];
                    means[r] = deposits[r][1];
                    variances[r] = deposits[r][2];
                }
                double[] combinedMean = new double[mean.length];
                double[] combinedVariance = new double[mean.length];
                long total = BatchMoments.combine(counts, means, variances, combinedMean, combinedVariance);
                return new double[][] {{total}, combinedMean, combinedVariance};
            });
            return (long) arrays[0][0];
        }

        @Override
        public void sumGradients(String layer, double[] dGamma, double[] dBeta) {
            double[][] arrays = {dGamma, dBeta};
            sync.point(layer + "/backward").exchange(replica, arrays, sync.waits, deposits -> {
                double[][] sums = new double[2][dGamma.length];
                for (double[][] deposit : deposits) {          // replica order: the same sums on every replica
                    for (int i = 0; i < 2; i++) {
                        for (int c = 0; c < sums[i].length; c++) {
                            sums[i][c] += deposit[i][c];
                        }
                    }
                }
                return sums;
            });
        }
    }
}
