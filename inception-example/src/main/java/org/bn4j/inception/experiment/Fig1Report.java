package org.bn4j.inception.experiment;

import org.bn4j.inception.AtomicFiles;
import org.bn4j.inception.monitor.PercentileDrift;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The Markdown report of Experiment 1 (Ioffe &amp; Szegedy 2015, §4.1): settings, the figures, the numbers behind
 * them, and for each of the section's claims whether it held in this run.
 */
public final class Fig1Report {

    /** File name of the report in the output folder. */
    public static final String FILE = "fig1-report.md";

    private Fig1Report() {
    }

    /** Writes the report of {@code result} to {@code file}; {@code command} is the command line that ran it. */
    public static void write(Fig1Result result, Path file, String command) throws IOException {
        String text = render(result, command);
        AtomicFiles.writeString(file, text);
    }

    /** The report's Markdown. */
    public static String render(Fig1Result r, String command) {
        Fig1Settings s = r.settings();
        StringBuilder md = new StringBuilder();
        md.append("# Experiment 1: MLP with and without batch normalization (paper §4.1, Figure 1)\n\n");
        md.append("Command: `").append(command).append("`  \n");
        md.append(String.format(Locale.ROOT, "Wall time: %.1f s (training %.2f ms/step without BN, %.2f ms/step "
                + "with BN)  %n", r.seconds(), r.msPerStepWithout(), r.msPerStepWith()));
        md.append("Data: ").append(r.dataSource()).append("\n\n");
        md.append("Network: 784-100-100-100-10, sigmoid hidden units, softmax output; weights N(0, ")
                .append(num(s.initStd())).append("²); plain SGD, learning rate ").append(num(s.learningRate()))
                .append("; ").append(s.steps()).append(" steps of ").append(s.batchSize())
                .append(" examples, both networks on the same batches; with BN, bn4j's `BatchNorm` between each "
                        + "dense layer and its sigmoid. Test accuracy every ").append(s.evalEvery())
                .append(" steps; percentiles of the sigmoid inputs for ").append(s.monitorExamples())
                .append(" test images every ").append(s.monitorEvery()).append(" steps (inference mode).\n\n");

        md.append("## (a) Test accuracy\n\n![Figure 1(a)](fig1a-accuracy.png)\n\n");
        md.append("| network | at step 0 | final | best | steps to reach the other network's final accuracy |\n");
        md.append("| --- | --- | --- | --- | --- |\n");
        accuracyRow(md, r.withoutBn(), r.withBn());
        accuracyRow(md, r.withBn(), r.withoutBn());
        accuracyRow(md, r.withBnAlgorithm2(), r.withoutBn());
        md.append(String.format(Locale.ROOT, "%nThe network with BN evaluated two ways: with the moving averages kept "
                + "during training (decay 0.9), and with the paper's inference statistics, Algorithm 2 over %d "
                + "training mini-batches (on a copy, at each evaluation):%n%n", s.populationBatches()));
        md.append("| step | without BN | with BN, moving averages | with BN, Algorithm 2 |\n");
        md.append("| --- | --- | --- | --- |\n");
        List<Curve.Point> points = r.withBn().points();
        int stride = Math.max(1, (points.size() - 1) / 10);
        for (int i = 0; i < points.size(); i++) {
            if (i % stride == 0 || i == points.size() - 1) {
                md.append(String.format(Locale.ROOT, "| %d | %.4f | %.4f | %.4f |%n", points.get(i).step(),
                        r.withoutBn().points().get(i).value(), points.get(i).value(),
                        r.withBnAlgorithm2().points().get(i).value()));
            }
        }

        md.append("\n## (b, c) Input of one last-hidden-layer sigmoid (`").append(r.figureTarget())
                .append("`): 15th, 50th, 85th percentiles\n\n");
        md.append("| (b) without BN | (c) with BN |\n| --- | --- |\n");
        md.append("| ![Figure 1(b)](fig1b-without-bn.png) | ![Figure 1(c)](fig1c-with-bn.png) |\n\n");
        md.append("Whole layers: `fig1-percentiles-without-bn.png`, `fig1-percentiles-with-bn.png`.\n\n");
        md.append("| target | network | median first → last | median range over training | "
                + "15–85 spread first → last |\n| --- | --- | --- | --- | --- |\n");
        List<String> targets = r.percentilesWith().stream().map(p -> p.target()).distinct().toList();
        for (String target : targets) {
            driftRow(md, PercentileDrift.of(r.percentilesWithout(), target), Fig1Experiment.WITHOUT_BN);
            driftRow(md, PercentileDrift.of(r.percentilesWith(), target), Fig1Experiment.WITH_BN);
        }

        md.append("\n## Did the paper's claims hold at this scale?\n\n");
        claims(md, r);
        return md.toString();
    }

    private static void claims(StringBuilder md, Fig1Result r) {
        Curve without = r.withoutBn();
        Curve with = r.withBn();
        boolean higher = with.last() > without.last();
        md.append("- *\"The batch-normalized network enjoys higher test accuracy\"*: ")
                .append(higher ? "**held**" : "**did not hold**")
                .append(String.format(Locale.ROOT, " (final %.4f with BN vs %.4f without).%n", with.last(),
                        without.last()));
        OptionalLong withReaches = with.stepsToReach(without.last());
        OptionalLong withoutReaches = without.stepsToReach(without.last());
        boolean faster = withReaches.isPresent() && withoutReaches.isPresent()
                && withReaches.getAsLong() < withoutReaches.getAsLong();
        md.append("- *\"... trains faster\"*: ").append(faster ? "**held**" : "**did not hold**")
                .append(" (the network with BN first reached the final accuracy of the one without at step ")
                .append(withReaches.isPresent() ? String.valueOf(withReaches.getAsLong()) : "never")
                .append("; the network without BN first reached it at step ")
                .append(withoutReaches.isPresent() ? String.valueOf(withoutReaches.getAsLong()) : "never")
                .append(")");
        if (withReaches.isPresent() && withoutReaches.isPresent()) {
            double withSeconds = withReaches.getAsLong() * r.msPerStepWith() / 1000;
            double withoutSeconds = withoutReaches.getAsLong() * r.msPerStepWithout() / 1000;
            md.append(String.format(Locale.ROOT, ". That is in steps; in training time (steps × mean ms/step of "
                    + "this run, %.2f with BN, %.2f without) it is %.0f s with BN against %.0f s without: "
                    + "%s", r.msPerStepWith(), r.msPerStepWithout(), withSeconds, withoutSeconds,
                    withSeconds < withoutSeconds ? "faster in wall-clock time too" : "not faster in wall-clock time"));
        }
        md.append(".\n");
        PercentileDrift a = PercentileDrift.of(r.percentilesWithout(), r.figureTarget());
        PercentileDrift b = PercentileDrift.of(r.percentilesWith(), r.figureTarget());
        double relA = a.middleRange() / Math.max(a.lastSpread(), 1e-12);
        double relB = b.middleRange() / Math.max(b.lastSpread(), 1e-12);
        boolean stable = b.middleRange() < a.middleRange() && relB < relA;
        md.append("- *\"The distribution of the sigmoid input is much more stable with BN\"* (Figure 1(b,c)): ")
                .append(stable ? "**held**" : "**did not hold**")
                .append(String.format(Locale.ROOT, " for `%s`: its median moved over a range of %.3f without BN "
                        + "(%.2f× its final 15–85 spread) and %.3f with BN (%.2f×).%n", r.figureTarget(),
                        a.middleRange(), relA, b.middleRange(), relB));
        md.append("  This compares medians only; the 15–85 spreads (first → last reading):");
        for (String target : r.percentilesWith().stream().map(p -> p.target()).distinct().toList()) {
            PercentileDrift w = PercentileDrift.of(r.percentilesWithout(), target);
            PercentileDrift x = PercentileDrift.of(r.percentilesWith(), target);
            md.append(String.format(Locale.ROOT, " `%s` %.2f → %.2f without BN, %.2f → %.2f with BN;", target,
                    w.firstSpread(), w.lastSpread(), x.firstSpread(), x.lastSpread()));
        }
        md.append(" a spread that grows more with BN is a less stable distribution in that respect.\n");
        if (r.settings().steps() < Fig1Settings.defaults().steps()) {
            md.append("\nThis run used ").append(r.settings().steps()).append(" steps, not the paper's 50,000: "
                    + "a smoke test, not evidence either way.\n");
        }
    }

    private static void accuracyRow(StringBuilder md, Curve curve, Curve other) {
        OptionalLong reach = curve.stepsToReach(other.last());
        md.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.4f | %s |%n", curve.name(),
                curve.points().get(0).value(), curve.last(), curve.best(),
                reach.isPresent() ? String.valueOf(reach.getAsLong()) : "not reached"));
    }

    private static void driftRow(StringBuilder md, PercentileDrift d, String network) {
        md.append(String.format(Locale.ROOT, "| `%s` | %s | %.3f → %.3f | %.3f | %.3f → %.3f |%n", d.target(),
                network, d.firstMiddle(), d.lastMiddle(), d.middleRange(), d.firstSpread(), d.lastSpread()));
    }

    private static String num(double value) {
        return String.format(Locale.ROOT, "%s", value);
    }
}
