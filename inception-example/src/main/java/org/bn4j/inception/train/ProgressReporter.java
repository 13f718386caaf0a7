package org.bn4j.inception.train;

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

    @Override
    default void close() {
    }
}
