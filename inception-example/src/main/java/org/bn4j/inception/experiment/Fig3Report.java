package org.bn4j.inception.experiment;

import org.bn4j.inception.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The Markdown report of Experiment 2 (Ioffe &amp; Szegedy 2015, §4.2.1): Figure 2 (validation accuracy against
 * steps), the Figure 3 table (steps to reach the baseline's best accuracy, best accuracy) next to the paper's own
 * numbers, and for each of the section's claims whether it held in this run.
 */
public final class Fig3Report {

    /** File name of the report in the output folder. */
    public static final String FILE = "fig3-report.md";

    /** The paper's Figure 3: steps to 72.2% (millions; null: never) and maximum accuracy, by recipe. */
    private static final Map<String, String[]> PAPER = Map.of(
            "inception", new String[]{"31.0·10⁶", "72.2%"},
            "bn-baseline", new String[]{"13.3·10⁶", "72.7%"},
            "bn-x5", new String[]{"2.1·10⁶", "73.0%"},
            "bn-x30", new String[]{"2.7·10⁶", "74.8%"},
            "bn-x5-sigmoid", new String[]{"never", "69.8%"});

    private Fig3Report() {
    }

    /** Writes the report of {@code result} to {@code file}; {@code command} is the command line that ran it. */
    public static void write(Fig3Result result, Path file, String command) throws IOException {
        String text = render(result, command);
        AtomicFiles.writeString(file, text);
    }

    /** The report's Markdown. */
    public static String render(Fig3Result r, String command) {
        Fig3Settings s = r.settings();
        Curve baseline = r.baseline();
        double target = baseline.best();
        StringBuilder md = new StringBuilder();
        md.append("# Experiment 2: BN-Inception recipes (paper §4.2.1, Figures 2 and 3)\n\n");
        md.append("Command: `").append(command).append("`  \n");
        md.append(String.format(Locale.ROOT, "Wall time: %.1f min  %n", r.totalSeconds() / 60));
        md.append("Data: ").append(r.dataSource()).append("  \n");
        md.append(String.format(Locale.ROOT, "Network: BN-Inception (paper Figure 5, small stem) at %d×%d px, width "
                        + "×%s; %d epochs, batch %d; validation accuracy after every epoch; recipes from "
                        + "`recipes.json` unchanged.%n%n", s.imageSize(), s.imageSize(), s.widthMultiplier(),
                s.epochs(), s.batchSize()));
        md.append("## Figure 2: validation accuracy against training steps\n\n![Figure 2](fig2-accuracy.png)\n\n");
        md.append("## Figure 3: steps to reach the baseline's best accuracy (")
                .append(String.format(Locale.ROOT, "%.2f%%", 100 * target)).append(", `").append(baseline.name())
                .append("`)\n\n");
        md.append("| recipe | steps to ").append(String.format(Locale.ROOT, "%.2f%%", 100 * target))
                .append(" | best accuracy | wall time | paper: steps to 72.2% | paper: best |\n");
        md.append("| --- | --- | --- | --- | --- | --- |\n");
        for (int i = 0; i < r.curves().size(); i++) {
            Curve c = r.curves().get(i);
            OptionalLong reach = c.stepsToReach(target);
            String[] paper = PAPER.getOrDefault(c.name(), new String[]{"—", "—"});
            md.append(String.format(Locale.ROOT, "| %s | %s | %.2f%% | %.1f min | %s | %s |%n", c.name(),
                    reach.isPresent() ? String.valueOf(reach.getAsLong()) : "not reached", 100 * c.best(),
                    r.seconds().get(i) / 60, paper[0], paper[1]));
        }
        md.append("\n## Did the paper's claims hold at this scale?\n\n");
        claims(md, r, target);
        return md.toString();
    }

    private static void claims(StringBuilder md, Fig3Result r, double target) {
        Curve baseline = r.baseline();
        long baselineSteps = baseline.stepsToReach(target).orElse(Long.MAX_VALUE);
        for (Curve c : r.curves().subList(1, r.curves().size())) {
            OptionalLong reach = c.stepsToReach(target);
            boolean faster = reach.isPresent() && reach.getAsLong() < baselineSteps;
            md.append(String.format(Locale.ROOT, "- `%s` reaches the baseline's best accuracy in fewer steps than "
                            + "`%s`: %s (%s vs %d steps; best %.2f%% vs %.2f%%).%n", c.name(), baseline.name(),
                    faster ? "**held**" : "**did not hold**",
                    reach.isPresent() ? String.valueOf(reach.getAsLong()) : "never", baselineSteps,
                    100 * c.best(), 100 * baseline.best()));
        }
        r.curves().stream().filter(c -> c.name().equals("bn-x5-sigmoid")).findFirst().ifPresent(sigmoid ->
                md.append(String.format(Locale.ROOT, "- BN makes a sigmoid Inception trainable (`bn-x5-sigmoid` "
                                + "well above chance, %.2f%%): %s.%n", 100 * sigmoid.best(),
                        sigmoid.best() > 2.0 / 10 ? "**held**" : "**did not hold**")));
        if (r.settings().epochs() * (long) Math.max(1, r.settings().trainLimit()) < 100_000) {
            md.append("\nAt this scale (a few hundred steps on a few thousand small images, against the paper's "
                    + "millions of steps on ImageNet) the comparison is of early training speed only; the paper's "
                    + "final accuracies are out of reach.\n");
        }
    }
}
