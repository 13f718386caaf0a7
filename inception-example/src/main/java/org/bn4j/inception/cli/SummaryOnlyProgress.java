package org.bn4j.inception.cli;

import org.bn4j.inception.train.ConsoleProgress;
import org.bn4j.inception.train.EpochMetrics;
import org.bn4j.inception.train.ProgressReporter;

import java.io.PrintStream;

/** Progress without a bar: only the per-epoch summary line of {@link ConsoleProgress}. */
final class SummaryOnlyProgress implements ProgressReporter {

    private final ConsoleProgress summaries;

    SummaryOnlyProgress(PrintStream out) {
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
