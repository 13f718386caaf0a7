package org.bn4j.inception.cli;

import org.bn4j.inception.experiment.Fig3Experiment;
import org.bn4j.inception.experiment.Fig3Plan;
import org.bn4j.inception.experiment.Fig3Throughput;
import org.bn4j.inception.experiment.Fig3Report;
import org.bn4j.inception.experiment.Fig3Result;
import org.bn4j.inception.experiment.Fig3Settings;
import org.bn4j.inception.data.DataOptions;
import org.bn4j.inception.data.ImageFolderData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code experiment fig3}: Experiment 2 of Ioffe &amp; Szegedy 2015, §4.2.1 / Figures 2 and 3 (see
 * {@link Fig3Experiment}).
 */
@Command(name = "fig3", mixinStandardHelpOptions = true,
        description = "Train the recipes inception, bn-baseline, bn-x5, bn-x30, bn-x5-sigmoid and the negative "
                + "control inception-sigmoid on the same images to convergence: validation accuracy against steps "
                + "(paper Figure 2) and steps to the baseline's best accuracy (Figure 3). Resumable with --resume; "
                + "--plan prints the compute plan and exits.")
public final class Fig3Command implements Callable<Integer> {

    /** Options of a session, not of the experiment: left out of the command the report records. */
    private static final Set<String> SESSION_OPTIONS = Set.of("--resume", "--no-progress");

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--resume", description = "Continue the experiment in --out after a kill: finished recipes are "
            + "kept, the interrupted one continues from its last checkpoint; the settings must be the saved ones.")
    boolean resume;

    @Option(names = "--plan", description = "Print the plan (images, steps, validations, worst-case time) and exit.")
    boolean plan;

    @Option(names = "--measure", paramLabel = "STEPS", defaultValue = "0",
            description = "Base the plan on STEPS timed training steps and one validation of each recipe on this "
                    + "machine instead of --images-per-second (0: do not measure; default: ${DEFAULT-VALUE}).")
    int measure;

    @Option(names = "--images-per-second", paramLabel = "X", defaultValue = "200",
            description = "Training throughput the plan assumes (default: ${DEFAULT-VALUE}, the README's main job "
                    + "on 2 cores at width 0.25, batch 64).")
    double imagesPerSecond;

    @Option(names = "--quick", description = "Test-sized run: 160 images, width 0.0625, caps of 20 steps.")
    boolean quick;

    @Option(names = "--recipes", split = ",", paramLabel = "NAME,...",
            description = "Recipes, baseline first (default: inception,bn-baseline,bn-x5,bn-x30,bn-x5-sigmoid,"
                    + "inception-sigmoid).")
    List<String> recipes;

    @Option(names = "--seeds", paramLabel = "N", description = "Seeds of the baseline and bn-x5 (default 2; quick: 1).")
    Integer seeds;

    @Option(names = "--train-limit", paramLabel = "N", description = "Training images (default 6400; quick: 160).")
    Integer trainLimit;

    @Option(names = "--val-limit", paramLabel = "N", description = "Validation images (default 2000; quick: 60).")
    Integer valLimit;

    @Option(names = "--batch-size", paramLabel = "N", description = "Mini-batch size (default 64; quick: 32).")
    Integer batchSize;

    @Option(names = "--width", paramLabel = "X", description = "Width multiplier (default 0.25; quick: 0.0625).")
    Double width;

    @Option(names = "--eval-every", paramLabel = "K", description = "Steps between validations (default 25; quick: 2).")
    Integer evalEvery;

    @Option(names = "--patience", paramLabel = "N",
            description = "Validations without a new best that make a plateau (default 20; quick: 4).")
    Integer patience;

    @Option(names = "--max-steps", paramLabel = "N", description = "Step cap per recipe (default 2500; quick: 20).")
    Integer maxSteps;

    @Option(names = "--control-max-steps", paramLabel = "N",
            description = "Step cap of inception-sigmoid (default 1000; quick: 10).")
    Integer controlMaxSteps;

    @Option(names = "--no-progress", description = "No progress bar (a line per validation only).")
    boolean noProgress;

    @Mixin
    DataSourceMixin dataSource;

    @Mixin
    ConvolutionOption convolution;

    @Mixin
    ReplicasOption replicas;

    @Mixin
    NativeThreadsOption threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Fig3Settings settings = settings();
        if (plan && measure == 0) {
            System.out.print(Fig3Plan.of(settings, imagesPerSecond).render());
            return 0;
        }
        threads.apply();
        DataSourceMixin.Resolved resolved = dataSource.resolve();
        ImageFolderData images = ImageFolderData.load(new DataOptions(resolved.root(), 0.1, false,
                settings.trainLimit(), settings.valLimit(), settings.seed()), resolved.source());
        Fig3Plan thePlan = measure > 0
                ? Fig3Plan.measured(settings, images.train().size(), images.val().size(),
                        Fig3Throughput.measure(settings, images, measure, replicas.replicas()))
                : Fig3Plan.assumed(settings, images.train().size(), images.val().size(), imagesPerSecond);
        System.out.print(thePlan.render());
        if (plan) {
            return 0;
        }
        Fig3Experiment.Options options = new Fig3Experiment.Options(replicas.replicas(), resume, System.out,
                !noProgress, id -> List.of(), thePlan);
        Fig3Result result = Fig3Experiment.run(settings, images, out, ReproducingCommand.of(spec, SESSION_OPTIONS),
                options);
        System.out.printf(Locale.ROOT, "fig3: %.1f min; report %s%n", result.totalSeconds() / 60,
                out.resolve(Fig3Report.FILE));
        return 0;
    }

    /** The defaults (or --quick's) with the options given. */
    Fig3Settings settings() {
        Fig3Settings b = quick ? Fig3Settings.quick() : Fig3Settings.defaults();
        return new Fig3Settings(recipes != null ? recipes : b.recipes(), or(seeds, b.seeds()),
                or(batchSize, b.batchSize()), b.imageSize(), width != null ? width : b.widthMultiplier(),
                or(trainLimit, b.trainLimit()), or(valLimit, b.valLimit()), b.seed(), convolution.convolution(),
                or(evalEvery, b.evaluateEvery()), or(patience, b.patience()), or(maxSteps, b.maxSteps()),
                or(controlMaxSteps, b.controlMaxSteps()));
    }

    private static int or(Integer given, int fallback) {
        return given != null ? given : fallback;
    }
}
