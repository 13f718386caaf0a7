package org.bn4j.inception.train;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * One summary line per epoch and, unless turned off, a terminal progress bar per epoch (loss and images/s) and for
 * Algorithm 2.
 */
public final class ConsoleProgress implements ProgressReporter {

    private final PrintStream out;
    private final boolean bars;
    private ProgressBar bar;

    /** Prints epoch summaries to {@code out}; the bars themselves go to standard error. */
    public ConsoleProgress(PrintStream out) {
        this(out, true);
    }

    /** Prints epoch summaries to {@code out}, and progress bars to standard error only when {@code bars}. */
    public ConsoleProgress(PrintStream out, boolean bars) {
        this.out = out;
        this.bars = bars;
    }

    @Override
    public void startEpoch(int epoch, int epochs, int totalBatches, int batchesDone) {
        close();
        if (!bars) {
            return;
        }
        bar = new ProgressBarBuilder()
                .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
                .setInitialMax(totalBatches)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(1000)
                .continuousUpdate()
                .build();
        bar.stepTo(batchesDone);
    }

    @Override
    public void batchDone(double loss, double imagesPerSecond) {
        if (bar == null) {
            return;
        }
        bar.step();
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f, %.1f images/s", loss, imagesPerSecond));
    }

    @Override
    public void endEpoch(EpochMetrics m) {
        close();
        out.printf(Locale.ROOT, "epoch %d: train loss %.4f, %.1f images/s, validation accuracy %.2f%%%n", m.epoch(),
                m.trainLoss(), m.imagesPerSecond(), 100 * m.valAccuracy());
    }

    /** A bar for Algorithm 2 (the library itself shows no progress). */
    @Override
    public IntConsumer populationStatistics(int maxBatches) {
        close();
        if (!bars) {
            return ProgressReporter.super.populationStatistics(maxBatches);
        }
        bar = new ProgressBarBuilder()
                .setTaskName("Algorithm 2")
                .setInitialMax(maxBatches)
                .setUnit(" batches", 1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(1000)
                .build();
        ProgressBar current = bar;
        return current::stepTo;
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
