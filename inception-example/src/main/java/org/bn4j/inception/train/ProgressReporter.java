package org.bn4j.inception.train;

import java.util.function.IntConsumer;

/** Shows training progress to a person; {@link #SILENT} for tests and batch jobs. */
public interface ProgressReporter extends AutoCloseable {

    /** Reports nothing. */
    ProgressReporter SILENT = new ProgressReporter() {
        @Override
        public void startEpoch(int epoch, int epochs, int totalBatches, int batchesDone) {
        }

        @Override
        public void batchDone(double loss, double imagesPerSecond) {
        }

        @Override
        public void endEpoch(EpochMetrics metrics) {
        }
    };

    /** An epoch (1-based) begins, possibly part-way through after a resume. */
    void startEpoch(int epoch, int epochs, int totalBatches, int batchesDone);

    /** One mini-batch trained: its loss and the epoch's running throughput. */
    void batchDone(double loss, double imagesPerSecond);

    /** The epoch and its validation are finished. */
    void endEpoch(EpochMetrics metrics);

    /**
     * The network was validated (after every epoch, and every {@link TrainingRun.Builder#evaluateEvery} steps).
     * Defaults to nothing.
     */
    default void validated(Validation validation) {
    }

    /**
     * Algorithm 2 over up to {@code maxBatches} training batches begins; the returned consumer receives the number of
     * batches done after each one (see {@code PopulationStatistics.estimate}). Defaults to showing nothing.
     */
    default IntConsumer populationStatistics(int maxBatches) {
        return batchesDone -> { };
    }

    @Override
    default void close() {
    }
}
