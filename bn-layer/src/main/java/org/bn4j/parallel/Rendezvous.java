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

    private final int parties;
    private final double[][][] deposits;
    private double[][] result;
    private int arrived;
    private long generation;
    private Throwable aborted;

    Rendezvous(int parties) {
        this.parties = parties;
        this.deposits = new double[parties][][];
    }

    /**
     * Deposits {@code arrays} of {@code replica}, waits for the other replicas and overwrites {@code arrays} with the
     * combined result.
     *
     * @throws StepAbortedException when the step was aborted (another replica failed) while waiting
     */
    synchronized void exchange(int replica, double[][] arrays, Combiner combiner) {
        checkAborted();
        deposits[replica] = arrays;
        long myGeneration = generation;
        if (++arrived == parties) {
            result = combiner.combine(deposits);
            arrived = 0;
            generation++;
            notifyAll();
        } else {
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
        }
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
