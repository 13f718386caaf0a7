package org.bn4j.inception.experiment;

import org.bn4j.inception.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The Markdown report of Experiment 2 (Ioffe &amp; Szegedy 2015, §4.2.1): the plan, Figure 2 (validation accuracy
 * against steps), the Figure 3 table (steps to reach the baseline's best accuracy, best accuracy, steps and seconds
 * run) next to the paper's own numbers, the headline ratio per seed and its mean, and for each of the section's
 * claims whether it held in this run.
 */
public final class Fig3Report {

    /** File name of the report in the output folder. */
    public static final String FILE = "fig3-report.md";
    /** A recipe "trained" when its best accuracy is at least chance plus this margin (10 points). */
    public static final double TRAINED_MARGIN = 0.10;
    /** The paper's headline: 31.0 M / 2.1 M steps. */
    static final double PAPER_RATIO = 31.0 / 2.1;

    /** The paper's Figure 3: steps to 72.2% and maximum accuracy, by recipe. */
    private static final Map<String, String[]> PAPER = Map.of(
            "inception", new String[]{"31.0·10⁶", "72.2%"},
            "bn-baseline", new String[]{"13.3·10⁶", "72.7%"},
            "bn-x5", new String[]{"2.1·10⁶", "73.0%"},
            "bn-x30", new String[]{"2.7·10⁶", "74.8%"},
            "bn-x5-sigmoid", new String[]{"never", "69.8%"},
            "inception-sigmoid", new String[]{"never", "chance (text)"});

    private Fig3Report() {
    }

    /** Writes the report of {@code result} to {@code file}; {@code command} is the command line that ran it. */
    public static void write(Fig3Result result, Path file, String command) throws IOException {
        AtomicFiles.writeString(file, render(result, command));
    }

    /** The report's Markdown. */
    public static String render(Fig3Result r, String command) {
        Fig3Settings s = r.settings();
        StringBuilder md = new StringBuilder();
        md.append("# Experiment 2: BN-Inception recipes to convergence (paper §4.2.1, Figures 2 and 3)\n\n");
        md.append("Command: `").append(command).append("`  \n");
        md.append(String.format(Locale.ROOT, "Wall time of the last session: %.1f min  %n", r.totalSeconds() / 60));
        md.append("Data: ").append(r.dataSource()).append("  \n");
        md.append(String.format(Locale.ROOT, "Network: BN-Inception (paper Figure 5, small stem) at %d×%d px, width "
                        + "×%s, batch %d; recipes from `recipes.json` unchanged. Stopping: the baseline to a plateau "
                        + "(%d validations without a new best), every BN recipe until it reaches its seed's baseline "
                        + "best, then to its own plateau or the baseline's step count; caps %d steps (%d for a "
                        + "recipe without BN other than the baseline).%n%n", s.imageSize(), s.imageSize(),
                s.widthMultiplier(), s.batchSize(), s.patience(), s.maxSteps(), s.controlMaxSteps()));
        md.append("## Plan\n\n```\n").append(r.plan().render()).append("```\n\n");
        md.append("## Figure 2: validation accuracy against training steps\n\n![Figure 2](fig2-accuracy.png)\n\n"
                + "![Figure 2, log steps](fig2-accuracy-logx.png)\n\n");
        md.append("## Figure 3: steps to reach the baseline's best accuracy (each seed's own baseline)\n\n");
        md.append("| run | recipe | seed | baseline best | steps to it | best accuracy | steps run | stopped by "
                + "| train s | wall s | paper: steps to 72.2% | paper: best |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Fig3Run run : r.runs()) {
            double target = r.baseline(run.seedIndex()).curve().best();
            OptionalLong reach = run.curve().stepsToReach(target);
            String[] paper = PAPER.getOrDefault(run.recipe(), new String[]{"—", "—"});
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.2f%% | %s | %.2f%% | %d | %s | %.0f | %.0f | "
                            + "%s | %s |%n", run.id(), run.recipe(), run.seed(), 100 * target,
                    reach.isPresent() ? String.valueOf(reach.getAsLong()) : "not reached", 100 * run.curve().best(),
                    run.steps(), run.stopReason(), run.trainSeconds(), run.wallSeconds(), paper[0], paper[1]));
        }
        headline(md, r);
        md.append("\n## Did the paper's claims hold at this scale?\n\n");
        claims(md, r);
        return md.toString();
    }

    /** Steps of the baseline to its best / steps of {@code bn-x5} to the same accuracy, per seed; NaN if not reached. */
    static List<Double> headlineRatios(Fig3Result r) {
        List<Double> ratios = new ArrayList<>();
        for (int k = 0; k < r.settings().seeds(); k++) {
            int seed = k;
            double ratio = r.run(Fig3Settings.HEADLINE_RECIPE, k).map(x5 -> {
                Curve baseline = r.baseline(seed).curve();
                long baselineSteps = baseline.stepsToReach(baseline.best()).orElseThrow();
                OptionalLong x5Steps = x5.curve().stepsToReach(baseline.best());
                return x5Steps.isPresent() ? baselineSteps / (double) x5Steps.getAsLong() : Double.NaN;
            }).orElse(Double.NaN);
            ratios.add(ratio);
        }
        return ratios;
    }

    private static void headline(StringBuilder md, Fig3Result r) {
        List<Double> ratios = headlineRatios(r);
        if (ratios.stream().allMatch(x -> Double.isNaN(x)) && r.run(Fig3Settings.HEADLINE_RECIPE, 0).isEmpty()) {
            return;
        }
        md.append(String.format(Locale.ROOT, "%n## Headline: steps of `%s` to its best / steps of `%s` to the same "
                + "accuracy (paper: 31.0 M / 2.1 M = %.1f)%n%n", r.settings().baseline(),
                Fig3Settings.HEADLINE_RECIPE, PAPER_RATIO));
        double sum = 0;
        int n = 0;
        for (int k = 0; k < ratios.size(); k++) {
            double x = ratios.get(k);
            md.append(String.format(Locale.ROOT, "- seed %d: %s%n", r.settings().seed() + k,
                    Double.isNaN(x) ? "`" + Fig3Settings.HEADLINE_RECIPE + "` never reached it" : fmt(x)));
            if (!Double.isNaN(x)) {
                sum += x;
                n++;
            }
        }
        md.append(String.format(Locale.ROOT, "- mean over %d seed(s): %s%n", n, n == 0 ? "—" : fmt(sum / n)));
    }

    private static String fmt(double ratio) {
        return String.format(Locale.ROOT, "%.2f×", ratio);
    }

    private static void claims(StringBuilder md, Fig3Result r) {
        double chance = 1.0 / r.classes();
        for (int k = 0; k < r.settings().seeds(); k++) {
            Fig3Run baseline = r.baseline(k);
            if (!ConvergenceRule.PLATEAU.equals(baseline.stopReason())) {
                md.append(String.format(Locale.ROOT, "- **Caution**: `%s` stopped by the %s, not a plateau: its "
                        + "best is not its converged accuracy.%n", baseline.id(), baseline.stopReason()));
            }
        }
        Curve baseline = r.baseline(0).curve();
        long baselineSteps = baseline.stepsToReach(baseline.best()).orElseThrow();
        for (Fig3Run run : r.runs()) {
            if (run.recipe().equals(r.settings().baseline()) || run.seedIndex() != 0) {
                continue;
            }
            OptionalLong reach = run.curve().stepsToReach(baseline.best());
            boolean faster = reach.isPresent() && reach.getAsLong() < baselineSteps;
            if (run.recipe().startsWith("bn-")) {
                md.append(String.format(Locale.ROOT, "- `%s` reaches the baseline's best accuracy in fewer steps "
                                + "than `%s`: %s (%s vs %d steps; best %.2f%% vs %.2f%%).%n", run.id(),
                        baseline.name(), faster ? "**held**" : "**did not hold**",
                        reach.isPresent() ? String.valueOf(reach.getAsLong()) : "never", baselineSteps,
                        100 * run.curve().best(), 100 * baseline.best()));
            }
        }
        r.run("bn-x30", 0).ifPresent(x30 -> r.run("bn-x5", 0).ifPresent(x5 -> md.append(String.format(Locale.ROOT,
                "- `bn-x30` ends higher than `bn-x5` (paper: 74.8%% vs 73.0%%): %s (%.2f%% vs %.2f%%).%n",
                x30.curve().best() > x5.curve().best() ? "**held**" : "**did not hold**", 100 * x30.curve().best(),
                100 * x5.curve().best()))));
        trains(md, r, "bn-x5-sigmoid", true, chance);
        trains(md, r, "inception-sigmoid", false, chance);
    }

    /** Whether {@code recipe} trained: best accuracy at least chance + {@link #TRAINED_MARGIN}. */
    private static void trains(StringBuilder md, Fig3Result r, String recipe, boolean paperTrains, double chance) {
        r.run(recipe, 0).ifPresent(run -> {
            boolean trained = run.curve().best() >= chance + TRAINED_MARGIN;
            md.append(String.format(Locale.ROOT, "- `%s` %s (paper: it %s): it %s: best %.2f%% against chance "
                            + "%.2f%% + a margin of %.0f points, after %d steps (%s): %s.%n", recipe,
                    paperTrains ? "trains" : "does not train", paperTrains ? "does, 69.8%" : "stays at chance",
                    trained ? "trained" : "did not train", 100 * run.curve().best(), 100 * chance,
                    100 * TRAINED_MARGIN, run.steps(), run.stopReason(),
                    trained == paperTrains ? "**held**" : "**did not hold**"));
        });
    }
}
