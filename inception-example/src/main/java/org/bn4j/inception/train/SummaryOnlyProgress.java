package org.bn4j.inception.train;

import java.io.PrintStream;

/** Progress without a bar: only the per-epoch summary line of {@link ConsoleProgress}. */
public final class SummaryOnlyProgress implements ProgressReporter {

    private final ConsoleProgress summaries;

    /** Epoch summaries to {@code out}. */
    public SummaryOnlyProgress(PrintStream out) {
        this.summaries = new ConsoleProgress(out);
    }

    @Override
    public void startEpoch(int epoch, int epochs, int totalBatches, int batchesDone) {
    }

    @Override
    public void batchDone(double loss, double imagesPerSecond) {
    }

    @Override
    public void endEpoch(EpochMetrics metrics) {
        summaries.endEpoch(metrics);
    }
}
