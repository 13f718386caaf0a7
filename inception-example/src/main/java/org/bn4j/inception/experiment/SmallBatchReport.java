package org.bn4j.inception.experiment;

import org.bn4j.inception.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The Markdown report of the small-batch experiment. The primary table and check are Ioffe 2017 §4.2's: at the same
 * mini-batch and steps, batch normalization over micro-batches of 4 loses several points against normalization over
 * the whole mini-batch, and Batch Renormalization over the same micro-batches recovers most of them. The secondary
 * table (true small mini-batches, the same images seen) answers a different question and is confounded by the step
 * count.
 */
public final class SmallBatchReport {

    /** File name of the report in the output folder. */
    public static final String FILE = "small-batch-report.md";
    /** Start of the report's line with the training time, the one line that differs between reruns. */
    public static final String TIME_LINE = "Training time:";
    /** Points ghost-B must lose against bn-G for the first half of the claim. */
    static final double SEVERAL_POINTS = 0.02;

    private SmallBatchReport() {
    }

    /** Writes the report of {@code result} to {@code file}; {@code command} is the command line that ran it. */
    public static void write(SmallBatchExperiment.Result result, Path file, String command) throws IOException {
        AtomicFiles.writeString(file, render(result, command));
    }

    /** The report's Markdown. */
    public static String render(SmallBatchExperiment.Result r, String command) {
        SmallBatchSettings s = r.settings();
        int g = s.miniBatch();
        StringBuilder md = new StringBuilder("# Small mini-batches: BN vs Batch Renormalization vs ghost batches\n\n");
        md.append("Command: `").append(command).append("`  \n");
        md.append(String.format(Locale.ROOT, "%s %.1f min (sum of the runs')  %n", TIME_LINE,
                r.trainingSeconds() / 60));
        md.append("Data: ").append(r.dataSource()).append("  \n");
        md.append(String.format(Locale.ROOT, "Network: BN-Inception (recipe `%s`) at %d×%d px, width ×%s. "
                        + "Validation accuracy with inference (population) statistics after the last epoch (best "
                        + "epoch in parentheses).%n%n", SmallBatchSettings.RECIPE, s.imageSize(), s.imageSize(),
                s.widthMultiplier()));
        md.append("![accuracy](small-batch.png)\n\n");

        long primarySteps = SmallBatchSettings.steps(s.epochs(), g, r.trainImages());
        md.append(String.format(Locale.ROOT, "## Primary: normalization over micro-batches, mini-batch %d, the same "
                + "%d steps (Ioffe 2017 §4.2)%n%n", g, primarySteps));
        md.append("Every run: mini-batches of ").append(g).append(", ").append(s.epochs()).append(" epoch(s). `bn-")
                .append(g).append("` normalizes over the whole mini-batch; `ghost-B` over micro-batches of B (ghost "
                        + "batches); `ghost-renorm-B` over the same micro-batches with Batch Renormalization.\n\n");
        md.append("| micro-batch B | BN over ").append(g).append(" (`bn-").append(g)
                .append("`) | BN over B (`ghost-B`) | Batch Renorm over B (`ghost-renorm-B`) |\n");
        md.append("| --- | --- | --- | --- |\n");
        String bnG = cell(r.find(SmallBatchExperiment.BN + "-" + g));
        for (int b : s.microBatches()) {
            md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s |%n", b, bnG,
                    cell(r.find(SmallBatchExperiment.GHOST + "-" + b)),
                    cell(r.find(SmallBatchExperiment.GHOST_RENORM + "-" + b))));
        }
        md.append("\n### Did Ioffe 2017's observation hold here?\n\n");
        claim(md, r);

        if (s.smallBatchEpochs() > 0) {
            secondary(md, r);
        }
        return md.toString();
    }

    private static void secondary(StringBuilder md, SmallBatchExperiment.Result r) {
        SmallBatchSettings s = r.settings();
        int g = s.miniBatch();
        long seen = (long) s.smallBatchEpochs() * r.trainImages();
        md.append(String.format(Locale.ROOT, "%n## Secondary (a different question): true mini-batches of B, the "
                + "same images seen%n%n"));
        md.append(String.format(Locale.ROOT, "Each run: %d epoch(s) (%d images seen) with mini-batches of B, so B "
                + "takes %d/B times more SGD steps than %d: the step count, not only the batch statistics, differs, "
                + "and in a short run more steps usually win. The column for %d is `bn-%d` of the primary table "
                + "after the same number of epochs. Not the comparison of Ioffe 2017.%n%n", s.smallBatchEpochs(),
                seen, g, g, g, g));
        md.append("| B | steps | plain BN (`bn-B`) | Batch Renorm (`renorm-B`) | plain BN at ").append(g)
                .append(" (same images) |\n");
        md.append("| --- | --- | --- | --- | --- |\n");
        SmallBatchExperiment.Run bnG = r.find(SmallBatchExperiment.BN + "-" + g);
        String reference = bnG == null || Double.isNaN(bnG.accuracyAt(seen)) ? "—"
                : String.format(Locale.ROOT, "%.2f%%", 100 * bnG.accuracyAt(seen));
        for (int b : s.microBatches()) {
            md.append(String.format(Locale.ROOT, "| %d | %d | %s | %s | %s |%n", b,
                    SmallBatchSettings.steps(s.smallBatchEpochs(), b, r.trainImages()),
                    cell(r.find(SmallBatchExperiment.BN + "-" + b)),
                    cell(r.find(SmallBatchExperiment.RENORM + "-" + b)), reference));
        }
    }

    private static String cell(SmallBatchExperiment.Run run) {
        if (run == null) {
            return "—";
        }
        return String.format(Locale.ROOT, "%.2f%% (%.2f%%)", 100 * run.accuracy().last(), 100 * run.accuracy().best());
    }

    /** ghost-B ≥ 2 points below bn-G, and ghost-renorm-B recovering at least half of the gap, at the smallest B. */
    private static void claim(StringBuilder md, SmallBatchExperiment.Result r) {
        int small = r.settings().microBatches().get(0);
        int g = r.settings().miniBatch();
        SmallBatchExperiment.Run bnG = r.find(SmallBatchExperiment.BN + "-" + g);
        SmallBatchExperiment.Run ghost = r.find(SmallBatchExperiment.GHOST + "-" + small);
        SmallBatchExperiment.Run ghostRenorm = r.find(SmallBatchExperiment.GHOST_RENORM + "-" + small);
        if (bnG == null || ghost == null || ghostRenorm == null) {
            md.append("Incomplete: a run is missing.\n");
            return;
        }
        double loss = bnG.accuracy().last() - ghost.accuracy().last();
        double recovered = ghostRenorm.accuracy().last() - ghost.accuracy().last();
        boolean bnLoses = loss >= SEVERAL_POINTS;
        md.append(String.format(Locale.ROOT, "- BN over micro-batches of %d loses several (≥ %.0f) points against "
                        + "BN over the whole mini-batch of %d: %s (`ghost-%d` %.2f points below `bn-%d`).%n", small,
                100 * SEVERAL_POINTS, g, bnLoses ? "**held**" : "**did not hold**", small, 100 * loss, g));
        if (bnLoses) {
            boolean most = recovered >= loss / 2;
            md.append(String.format(Locale.ROOT, "- Batch Renorm over the same micro-batches recovers at least half "
                            + "of them: %s (`ghost-renorm-%d` recovers %.2f of %.2f points).%n",
                    most ? "**held**" : "**did not hold**", small, 100 * recovered, 100 * loss));
        } else {
            md.append(String.format(Locale.ROOT, "- Batch Renorm over the same micro-batches vs BN over them: %+.2f "
                    + "points (no gap to recover, so the second half of the claim is not tested).%n",
                    100 * recovered));
        }
    }
}
