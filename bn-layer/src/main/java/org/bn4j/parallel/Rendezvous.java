package org.bn4j.parallel;

/**
 * One meeting point of the replicas of a step (one BN layer, one direction): each replica deposits its per-feature
 * arrays, the last to arrive combines all deposits in replica order, and every replica leaves with a copy of the
 * result in its own arrays. The next meeting at this point can only complete after every replica has copied the
 * previous result, because copying happens before a replica can arrive again.
 */
final class Rendezvous {

    /** Combines the deposits {@code [replica][array][feature]} into a result of the same array shapes. */
    interface Combiner {
        double[][] combine(double[][][] deposits);
    }

    /**
     * How long a replica spins before it sleeps, when every replica has a core of its own: 200 µs, or
     * {@code -Dbn4j.parallel.spinMicros=N}.
     * NOTE: a sleeping thread takes tens of microseconds to wake on a virtual machine, and a step of the example's
     * network meets here about 150 times; spinning briefly keeps the replicas in step (docs/parallel.md).
     */
    private static final long SPIN_NANOS = 1000L * Long.getLong("bn4j.parallel.spinMicros", 200L);

    private final int parties;
    private final boolean spin;
    private final double[][][] deposits;
    private double[][] result;
    private int arrived;
    private volatile long generation;
    private volatile Throwable aborted;

    Rendezvous(int parties) {
        this.parties = parties;
        this.spin = parties <= Runtime.getRuntime().availableProcessors();
        this.deposits = new double[parties][][];
    }

    /**
     * Deposits {@code arrays} of {@code replica}, waits for the other replicas and overwrites {@code arrays} with the
     * combined result; adds the time spent waiting to {@code waits[replica]}.
     *
     * @throws StepAbortedException when the step was aborted (another replica failed) while waiting
     */
    void exchange(int replica, double[][] arrays, long[] waits, Combiner combiner) {
        long myGeneration;
        synchronized (this) {
            checkAborted();
            deposits[replica] = arrays;
            myGeneration = generation;
            if (++arrived == parties) {
                result = combiner.combine(deposits);
                arrived = 0;
                generation = myGeneration + 1;
                notifyAll();
                copyResult(replica, arrays);
                return;
            }
        }
        long waitStart = System.nanoTime();
        if (spin) {
            long deadline = waitStart + SPIN_NANOS;
            while (generation == myGeneration && aborted == null && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        }
        synchronized (this) {
            boolean interrupted = false;
            while (generation == myGeneration && aborted == null) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (generation == myGeneration) {
                checkAborted();
            }
            copyResult(replica, arrays);
        }
        waits[replica] += System.nanoTime() - waitStart;
    }

    private void copyResult(int replica, double[][] arrays) {
        for (int i = 0; i < arrays.length; i++) {
            System.arraycopy(result[i], 0, arrays[i], 0, arrays[i].length);
        }
        deposits[replica] = null;
    }

    /** Wakes every waiting replica with a {@link StepAbortedException}; later exchanges fail at once. */
    synchronized void abort(Throwable cause) {
        if (aborted == null) {
            aborted = cause;
        }
        notifyAll();
    }

    private void checkAborted() {
        if (aborted != null) {
            throw new StepAbortedException(aborted);
        }
    }

    /** Thrown into a replica waiting for the others when the step is abandoned. */
    static final class StepAbortedException extends RuntimeException {
        StepAbortedException(Throwable cause) {
            super("step abandoned: another replica failed (" + cause + ")", cause);
        }
    }
}
