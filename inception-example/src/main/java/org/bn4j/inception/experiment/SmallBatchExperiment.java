package org.bn4j.inception.experiment;

import org.bn4j.RenormSchedule;
import org.bn4j.inception.Json;
import org.bn4j.inception.UserError;
import org.bn4j.inception.data.ImageFolderData;
import org.bn4j.inception.net.Stem;
import org.bn4j.inception.recipe.Recipe;
import org.bn4j.inception.recipe.RecipeCatalog;
import org.bn4j.inception.recipe.RecipeOverrides;
import org.bn4j.inception.train.EpochMetrics;
import org.bn4j.inception.train.NetworkSettings;
import org.bn4j.inception.train.TrainingRun;
import org.bn4j.inception.train.TrainingSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Small mini-batches (issue 26; Ioffe 2017 §4.2) with the example's BN-Inception; see {@link SmallBatchSettings} for
 * the two comparisons. Runs, in order:
 * <ul>
 *   <li>primary, mini-batches of G, the same steps: {@code bn-G} (statistics of G examples), and for each micro-batch
 *       size B {@code ghost-B} (statistics of B-example micro-batches: ghost batches) and {@code ghost-renorm-B}
 *       (the same micro-batches with Batch Renormalization);</li>
 *   <li>secondary, the same images seen: {@code bn-B} and {@code renorm-B}, true mini-batches of B.</li>
 * </ul>
 * Every run trains in {@code runs/<name>/} ({@link TrainingRun}, checkpointed) and is scored by its validation
 * accuracy with inference (population) statistics after every epoch. A finished run's outcome is written atomically
 * to {@code runs/<name>/}{@value #RESULT_FILE}; with {@code resume} those runs are not trained again (and an
 * interrupted one continues from its checkpoint), so the experiment can be stopped and restarted. Files:
 * {@code small-batch.csv} (accuracy against images seen), {@code small-batch.png}, and the report
 * {@link SmallBatchReport#FILE}, all written from the per-run results.
 */
public final class SmallBatchExperiment {

    /** A finished run's outcome, inside its run folder. */
    public static final String RESULT_FILE = "result.json";
    /** The settings of the experiment in its output folder; a resumed experiment must have the same. */
    public static final String SETTINGS_FILE = "small-batch-settings.json";

    private static final Logger LOG = LoggerFactory.getLogger(SmallBatchExperiment.class);

    /** Normalization variants: plain BN, Batch Renormalization, ghost batches, ghost batches with renorm. */
    public static final String BN = "bn";
    public static final String RENORM = "renorm";
    public static final String GHOST = "ghost";
    public static final String GHOST_RENORM = "ghost-renorm";

    /**
     * One run's outcome, as stored in {@value #RESULT_FILE}.
     *
     * @param name               run name, e.g. {@code ghost-renorm-4}
     * @param variant            {@link #BN}, {@link #RENORM}, {@link #GHOST} or {@link #GHOST_RENORM}
     * @param normalizationBatch examples the BN statistics are computed over (B, or G for {@code bn-G})
     * @param miniBatch          examples per SGD step
     * @param steps              SGD steps of the run
     * @param accuracy           validation accuracy (inference statistics) against training images seen
     * @param seconds            wall time of the run's training
     */
    public record Run(String name, String variant, int normalizationBatch, int miniBatch, long steps, Curve accuracy,
                      double seconds) {

        /** Validation accuracy after {@code imagesSeen} training images, or NaN if the run has no such point. */
        public double accuracyAt(long imagesSeen) {
            return accuracy.points().stream().filter(p -> p.step() == imagesSeen).mapToDouble(Curve.Point::value)
                    .findFirst().orElse(Double.NaN);
        }
    }

    /**
     * All runs in order, the data description, and the names of the runs whose recorded results were reused
     * (resume) rather than trained now.
     */
    public record Result(SmallBatchSettings settings, String dataSource, int trainImages, List<Run> runs,
                         List<String> reused) {

        /** The run called {@code name}, or null. */
        public Run find(String name) {
            return runs.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
        }

        /** Sum of the runs' training times (whether trained now or before a resume). */
        public double trainingSeconds() {
            return runs.stream().mapToDouble(Run::seconds).sum();
        }
    }

    /** What to train: a run of the plan. */
    private record Plan(String name, String variant, int normalizationBatch, int miniBatch, int epochs) {
        boolean renorm() {
            return variant.equals(RENORM) || variant.equals(GHOST_RENORM);
        }

        int ghost() {
            return variant.equals(GHOST) || variant.equals(GHOST_RENORM) ? normalizationBatch : 0;
        }
    }

    private SmallBatchExperiment() {
    }

    /** The runs of {@code settings}, in order (primary, then secondary). */
    public static List<String> runNames(SmallBatchSettings settings) {
        return plan(settings).stream().map(Plan::name).toList();
    }

    private static List<Plan> plan(SmallBatchSettings s) {
        int g = s.miniBatch();
        List<Plan> plan = new ArrayList<>();
        plan.add(new Plan(BN + "-" + g, BN, g, g, s.epochs()));
        for (int b : s.microBatches()) {
            plan.add(new Plan(GHOST + "-" + b, GHOST, b, g, s.epochs()));
            plan.add(new Plan(GHOST_RENORM + "-" + b, GHOST_RENORM, b, g, s.epochs()));
        }
        if (s.smallBatchEpochs() > 0) {
            for (int b : s.microBatches()) {
                plan.add(new Plan(BN + "-" + b, BN, b, b, s.smallBatchEpochs()));
                plan.add(new Plan(RENORM + "-" + b, RENORM, b, b, s.smallBatchEpochs()));
            }
        }
        return plan;
    }

    /**
     * Runs every run of {@code settings} on {@code data}; writes the files and the report into {@code outDir}. With
     * {@code resume}, runs with a recorded result are reused; without it, an output folder that already holds this
     * experiment is an error (nothing is overwritten silently).
     */
    public static Result run(SmallBatchSettings settings, ImageFolderData data, Path outDir, String command,
                             boolean resume) throws IOException {
        Files.createDirectories(outDir);
        checkSettings(settings, outDir.resolve(SETTINGS_FILE), resume);
        Recipe preset = RecipeCatalog.bundled().get(SmallBatchSettings.RECIPE);
        NetworkSettings network = new NetworkSettings(settings.imageSize(), settings.imageSize(),
                data.inputChannels(), settings.widthMultiplier(), Stem.AUTO, settings.convolution());
        int trainImages = data.train().size();
        List<Plan> plan = plan(settings);
        List<Run> runs = new ArrayList<>();
        List<String> reused = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            Plan p = plan.get(i);
            String progress = String.format(Locale.ROOT, "small-batch [%d/%d] %s", i + 1, plan.size(), p.name());
            Path runDir = outDir.resolve("runs").resolve(p.name());
            Path resultFile = runDir.resolve(RESULT_FILE);
            Run run;
            if (resume && Files.exists(resultFile)) {
                run = Json.read(resultFile, Run.class);
                reused.add(p.name());
                LOG.info("{}: already done ({} validation accuracy), not trained again", progress,
                        Fig1Experiment.fmt(run.accuracy().last()));
            } else {
                run = train(p, progress, preset, settings, network, data, runDir);
                Json.write(resultFile, run);
            }
            runs.add(run);
            List<Curve> curves = runs.stream().map(Run::accuracy).toList();
            Curve.writeCsv(outDir.resolve("small-batch.csv"), curves, "run", "val_accuracy");
            Curve.plot(curves, "Small mini-batches: validation accuracy (inference statistics)",
                    "validation accuracy", 1.0 / data.labels().size(), data.val().size(),
                    outDir.resolve("small-batch.png"));
        }
        String source = String.format(Locale.ROOT, "%s (%s): %d training / %d validation images, %d "
                        + "classes", data.provenance().source(), data.provenance().layout(),
                data.provenance().trainImages(), data.provenance().valImages(), data.labels().size());
        Result result = new Result(settings, source, trainImages, runs, reused);
        SmallBatchReport.write(result, outDir.resolve(SmallBatchReport.FILE), command);
        return result;
    }

    /** Records the settings in a fresh folder; on resume, requires the recorded ones. */
    private static void checkSettings(SmallBatchSettings settings, Path file, boolean resume) throws IOException {
        if (Files.exists(file)) {
            if (!resume) {
                throw new UserError(file.getParent() + " already holds a small-batch experiment; pass --resume to "
                        + "continue it or choose another --out");
            }
            SmallBatchSettings saved = Json.read(file, SmallBatchSettings.class);
            if (!saved.equals(settings)) {
                throw new UserError("cannot resume: " + file + " records other settings (" + saved + ") than "
                        + settings);
            }
            return;
        }
        Json.write(file, settings);
    }

    private static Run train(Plan p, String progress, Recipe preset, SmallBatchSettings settings,
                             NetworkSettings network, ImageFolderData data, Path runDir) throws IOException {
        long t = System.nanoTime();
        int trainImages = data.train().size();
        long steps = SmallBatchSettings.steps(p.epochs(), p.miniBatch(), trainImages);
        RenormSchedule schedule = p.renorm() ? SmallBatchSettings.renormSchedule(steps) : null;
        Recipe recipe = new RecipeOverrides(null, null, null, null, null, null, null, null, null, null,
                p.renorm(), schedule, p.ghost()).applyTo(preset);
        TrainingSettings training = new TrainingSettings(p.epochs(), p.miniBatch(), Integer.MAX_VALUE, runDir,
                settings.seed(), false);
        LOG.info("{}: training, mini-batch {}, statistics over {}, {} steps ({})", progress, p.miniBatch(),
                p.normalizationBatch(), steps, recipe.bnOptions().describe());
        // resume within the run too: an experiment stopped in the middle of a run continues from its checkpoint
        TrainingRun.Result result = TrainingRun.builder(recipe, network, data, training).build().run(true);
        Curve curve = new Curve(p.name(), List.of());
        for (EpochMetrics epoch : result.state().history()) {
            curve = curve.plus((long) epoch.epoch() * trainImages, epoch.valAccuracy());   // x: images seen
        }
        double seconds = (System.nanoTime() - t) / 1e9;
        LOG.info("{}: validation accuracy {} after {} s", progress, Fig1Experiment.fmt(curve.last()),
                Math.round(seconds));
        return new Run(p.name(), p.variant(), p.normalizationBatch(), p.miniBatch(), steps, curve, seconds);
    }
}
