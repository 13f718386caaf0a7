package org.bn4j.inception.experiment;

import org.bn4j.inception.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The Markdown report of the small-batch experiment: final validation accuracy (inference statistics) per batch size
 * and variant, and whether Ioffe 2017's observation held: with micro-batches of 4, batch normalization loses several
 * points against large batches, and Batch Renormalization recovers most of them.
 */
public final class SmallBatchReport {

    /** File name of the report in the output folder. */
    public static final String FILE = "small-batch-report.md";

    private SmallBatchReport() {
    }

    /** Writes the report of {@code result} to {@code file}; {@code command} is the command line that ran it. */
    public static void write(SmallBatchExperiment.Result result, Path file, String command) throws IOException {
        AtomicFiles.writeString(file, render(result, command));
    }

    /** The report's Markdown. */
    public static String render(SmallBatchExperiment.Result r, String command) {
        SmallBatchSettings s = r.settings();
        int g = s.ghostMiniBatch();
        StringBuilder md = new StringBuilder("# Small mini-batches: BN vs Batch Renormalization vs ghost batches\n\n");
        md.append("Command: `").append(command).append("`  \n");
        md.append(String.format(Locale.ROOT, "Wall time: %.1f min  %n", r.totalSeconds() / 60));
        md.append("Data: ").append(r.dataSource()).append("  \n");
        md.append(String.format(Locale.ROOT, "Network: BN-Inception (recipe `%s`) at %d×%d px, width ×%s; %d epochs "
                        + "for every run (the same images seen); validation accuracy with inference (population) "
                        + "statistics after the last epoch (best epoch in parentheses). Ghost batches: statistics of "
                        + "B examples inside mini-batches of %d.%n%n", SmallBatchSettings.RECIPE, s.imageSize(),
                s.imageSize(), s.widthMultiplier(), s.epochs(), g));
        md.append("![accuracy](small-batch.png)\n\n");
        md.append("| batch size B | plain BN | Batch Renorm | ghost batches of B in ").append(g).append(" |\n");
        md.append("| --- | --- | --- | --- |\n");
        for (int b : s.batchSizes()) {
            md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s |%n", b, cell(r.find("bn", b)),
                    cell(r.find("renorm", b)), b < g ? cell(r.find("ghost", b)) : "(= plain BN at " + g + ")"));
        }
        md.append("\n## Did Ioffe 2017's observation hold here?\n\n");
        claim(md, r);
        return md.toString();
    }

    private static String cell(SmallBatchExperiment.Run run) {
        if (run == null) {
            return "—";
        }
        return String.format(Locale.ROOT, "%.2f%% (%.2f%%)", 100 * run.accuracy().last(), 100 * run.accuracy().best());
    }

    private static void claim(StringBuilder md, SmallBatchExperiment.Result r) {
        int small = r.settings().batchSizes().get(0);
        int large = r.settings().ghostMiniBatch();
        SmallBatchExperiment.Run bnSmall = r.find("bn", small);
        SmallBatchExperiment.Run bnLarge = r.find("bn", large);
        SmallBatchExperiment.Run renormSmall = r.find("renorm", small);
        if (small == large || bnSmall == null || bnLarge == null || renormSmall == null) {
            md.append("Needs at least two batch sizes.\n");
            return;
        }
        double loss = bnLarge.accuracy().last() - bnSmall.accuracy().last();
        double recovered = renormSmall.accuracy().last() - bnSmall.accuracy().last();
        boolean bnLoses = loss >= 0.02;
        md.append(String.format(Locale.ROOT, "- BN at batch %d loses several points against batch %d: %s "
                + "(%.2f points).%n", small, large, bnLoses ? "**held**" : "**did not hold**", 100 * loss));
        if (bnLoses) {
            boolean most = recovered >= loss / 2;
            md.append(String.format(Locale.ROOT, "- Batch Renorm at batch %d recovers most of them: %s (%.2f of "
                    + "%.2f points).%n", small, most ? "**held**" : "**did not hold**", 100 * recovered, 100 * loss));
        } else {
            md.append(String.format(Locale.ROOT, "- Batch Renorm at batch %d vs plain BN: %+.2f points (nothing "
                    + "to recover).%n", small, 100 * recovered));
        }
        SmallBatchExperiment.Run ghostSmall = r.find("ghost", small);
        if (ghostSmall != null) {
            md.append(String.format(Locale.ROOT, "- Ghost batches of %d in mini-batches of %d vs plain BN at %d: "
                            + "%+.2f points.%n", small, large, large,
                    100 * (ghostSmall.accuracy().last() - bnLarge.accuracy().last())));
        }
    }
}
