package org.bn4j.inception.experiment;

import org.bn4j.inception.train.ConsoleProgress;
import org.bn4j.inception.train.EpochMetrics;
import org.bn4j.inception.train.ProgressReporter;
import org.bn4j.inception.train.Validation;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of one run of Experiment 2: the training progress bar of {@code train} ({@link ConsoleProgress}), and
 * after every validation a line with the run (i/n), step, accuracy, best so far and the worst-case time left (this
 * run to its cap, then every later run to its cap, at this session's seconds per step, validations included).
 */
final class Fig3Progress implements ProgressReporter {

    private final ProgressReporter bars;
    private final PrintStream out;
    private final String label;
    private final long cap;
    private final long laterSteps;
    private final long startNanos = System.nanoTime();
    private long batches;
    private double best = Double.NaN;
    private long bestStep;

    /** Progress of run {@code index} (1-based) of {@code count}, capped at {@code cap}, with {@code laterSteps} after. */
    Fig3Progress(PrintStream out, boolean bars, int index, int count, String runId, long cap, long laterSteps) {
        this.bars = out == null ? ProgressReporter.SILENT : new ConsoleProgress(out, bars);
        this.out = out;
        this.label = String.format(Locale.ROOT, "fig3 [%d/%d] %s", index, count, runId);
        this.cap = cap;
        this.laterSteps = laterSteps;
    }

    @Override
    public void startEpoch(int epoch, int epochs, int totalBatches, int batchesDone) {
        bars.startEpoch(epoch, epochs, totalBatches, batchesDone);
    }

    @Override
    public void batchDone(double loss, double imagesPerSecond) {
        batches++;
        bars.batchDone(loss, imagesPerSecond);
    }

    @Override
    public void endEpoch(EpochMetrics metrics) {
        bars.endEpoch(metrics);
    }

    @Override
    public void validated(Validation v) {
        if (Double.isNaN(best) || v.accuracy() > best) {
            best = v.accuracy();
            bestStep = v.step();
        }
        if (out == null) {
            return;
        }
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        double perStep = batches == 0 ? Double.NaN : elapsed / batches; // validations and checkpoints included
        double runLeft = Math.max(0, cap - v.step()) * perStep;
        out.printf(Locale.ROOT, "%s: step %d, validation accuracy %.2f%%, best %.2f%% (step %d); %s%n", label,
                v.step(), 100 * v.accuracy(), 100 * best, bestStep, Double.isNaN(perStep) ? "ETA after the next "
                        + "step" : String.format(Locale.ROOT, "%.2f s/step, ETA this run <= %s, all runs <= %s",
                        perStep, duration(runLeft), duration(runLeft + laterSteps * perStep)));
    }

    private static String duration(double seconds) {
        return seconds < 3600 ? String.format(Locale.ROOT, "%.0f min", seconds / 60)
                : String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }

    @Override
    public void close() {
        bars.close();
    }
}
