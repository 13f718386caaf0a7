package org.bn4j.inception.experiment;

import org.bn4j.inception.Json;
import org.bn4j.inception.UserError;
import org.bn4j.inception.data.ImageFolderData;
import org.bn4j.inception.net.Stem;
import org.bn4j.inception.recipe.Recipe;
import org.bn4j.inception.recipe.RecipeCatalog;
import org.bn4j.inception.train.NetworkSettings;
import org.bn4j.inception.train.TrainingRun;
import org.bn4j.inception.train.TrainingSettings;
import org.bn4j.inception.train.Validation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Experiment 2 of Ioffe &amp; Szegedy 2015, §4.2.1 / Figures 2 and 3, to convergence: the recipes of
 * {@link Fig3Settings#runs()} trained one after the other on the same image folders with the same network shape,
 * through the application's own {@link TrainingRun} (each run in {@code runs/<id>/} with its manifest, metrics,
 * checkpoints and model), validated every {@link Fig3Settings#evaluateEvery()} steps and stopped by a
 * {@link ConvergenceRule}.
 *
 * <p>Resumable: the settings are saved as {@code fig3-settings.json}; a finished run leaves {@code fig3-run.json}
 * (written atomically) and is never trained again; a run killed part-way continues from its last checkpoint (one per
 * validation). Files: {@code fig3-accuracy.csv}, {@code fig2-accuracy.png} and {@code fig2-accuracy-logx.png}
 * (rewritten after every run) and the report {@code fig3-report.md}.
 */
public final class Fig3Experiment {

    /** File name of the saved settings in the output folder. */
    public static final String SETTINGS_FILE = "fig3-settings.json";
    private static final Logger LOG = LoggerFactory.getLogger(Fig3Experiment.class);

    private Fig3Experiment() {
    }

    /**
     * How to run it.
     *
     * @param replicas  replicas of the network per training step (bn4j's ParallelTrainer; 1 = the network's own fit)
     * @param resume    continue the experiment already in the output folder (its settings must equal these)
     * @param progress  where progress lines go; null for none
     * @param bars      also a progress bar per epoch (on standard error)
     * @param listeners extra training listeners by run id (tests inject a crash with them)
     * @param plan      the plan shown in the report; null: assumed at 200 training images/s
     */
    public record Options(int replicas, boolean resume, PrintStream progress, boolean bars,
                          Function<String, List<TrainingListener>> listeners, Fig3Plan plan) {

        /** Fresh, silent, no extra listeners. */
        public static Options of(int replicas) {
            return new Options(replicas, false, null, false, id -> List.of(), null);
        }
    }

    /** Runs every recipe of {@code settings} on {@code data} into {@code outDir}, fresh (see {@link Options}). */
    public static Fig3Result run(Fig3Settings settings, ImageFolderData data, Path outDir, String command,
                                 int replicas) throws IOException {
        return run(settings, data, outDir, command, Options.of(replicas));
    }

    /** Runs (or resumes) the experiment and writes its files and report into {@code outDir}. */
    public static Fig3Result run(Fig3Settings settings, ImageFolderData data, Path outDir, String command,
                                 Options options) throws IOException {
        Files.createDirectories(outDir);
        claimFolder(settings, outDir, options.resume());
        long start = System.nanoTime();
        RecipeCatalog catalog = RecipeCatalog.bundled();
        NetworkSettings network = new NetworkSettings(settings.imageSize(), settings.imageSize(),
                data.inputChannels(), settings.widthMultiplier(), Stem.AUTO, settings.convolution());
        int stepsPerEpoch = (data.train().size() + settings.batchSize() - 1) / settings.batchSize();
        Fig3Plan plan = options.plan() != null ? options.plan()
                : Fig3Plan.assumed(settings, data.train().size(), data.val().size(), 200);
        List<Fig3Settings.Run> runs = settings.runs();
        List<Fig3Run> done = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Fig3Settings.Run spec = runs.get(i);
            Path dir = outDir.resolve("runs").resolve(spec.id());
            Path record = dir.resolve(Fig3Run.FILE);
            if (Files.isRegularFile(record)) {
                Fig3Run finished = Json.read(record, Fig3Run.class);
                LOG.info("fig3: {} finished before ({} steps, {}): not trained again", spec.id(), finished.steps(),
                        finished.stopReason());
                done.add(finished);
                continue;
            }
            Recipe recipe = catalog.get(spec.recipe());
            ConvergenceRule rule = rule(settings, spec, recipe, done);
            long later = runs.subList(i + 1, runs.size()).stream().mapToLong(r -> plan.capOf(r.recipe())).sum();
            long wallStart = System.nanoTime();
            TrainingSettings training = new TrainingSettings((int) ((rule.maxSteps() + stepsPerEpoch - 1)
                    / stepsPerEpoch), settings.batchSize(), settings.evaluateEvery(), dir, spec.seed(), false);
            LOG.info("fig3: training {} (seed {}), {}", spec.id(), spec.seed(), rule);
            try (Fig3Progress progress = new Fig3Progress(options.progress(), options.bars(), i + 1, runs.size(),
                    spec.id(), rule.maxSteps(), later)) {
                TrainingRun.Builder builder = TrainingRun.builder(recipe, network, data, training)
                        .replicas(options.replicas())
                        .evaluateEvery(settings.evaluateEvery())
                        .stopRule(rule)
                        .progress(progress);
                options.listeners().apply(spec.id()).forEach(builder::listener);
                TrainingRun.Result result = builder.build().run(options.resume());
                List<Validation> validations = result.state().validations();
                String reason = Objects.requireNonNullElse(rule.reason(validations), "all epochs");
                Fig3Run finished = new Fig3Run(spec.id(), spec.recipe(), spec.seedIndex(), spec.seed(),
                        validations.stream().map(v -> new Curve.Point(v.step(), v.accuracy())).toList(),
                        result.model().network().getIterationCount(), result.state().totalSeconds(),
                        (System.nanoTime() - wallStart) / 1e9, reason);
                Json.write(record, finished);
                done.add(finished);
                LOG.info("fig3: {} stopped at step {} ({}), best validation accuracy {}", spec.id(), finished.steps(),
                        reason, Fig1Experiment.fmt(finished.curve().best()));
            }
            writeCurves(done, data.labels().size(), data.val().size(), outDir);
        }
        String source = String.format(java.util.Locale.ROOT, "%s (%s): %d training / %d validation images, %d "
                        + "classes", data.provenance().source(), data.provenance().layout(),
                data.provenance().trainImages(), data.provenance().valImages(), data.labels().size());
        Fig3Result result = new Fig3Result(settings, source, done, (System.nanoTime() - start) / 1e9,
                data.labels().size(), plan);
        Fig3Report.write(result, outDir.resolve(Fig3Report.FILE), command);
        return result;
    }

    /** The stopping rule of {@code spec}: the baseline's and the control's plateau, or following its seed's baseline. */
    static ConvergenceRule rule(Fig3Settings settings, Fig3Settings.Run spec, Recipe recipe, List<Fig3Run> done) {
        if (spec.recipe().equals(settings.baseline())) {
            return ConvergenceRule.toPlateau(settings.patience(), settings.maxSteps());
        }
        if (!recipe.batchNorm()) {
            return ConvergenceRule.toPlateau(settings.patience(), settings.controlMaxSteps());
        }
        Fig3Run baseline = done.stream().filter(r -> r.recipe().equals(settings.baseline())
                && r.seedIndex() == spec.seedIndex()).findFirst().orElseThrow();
        return ConvergenceRule.following(settings.patience(), settings.maxSteps(), baseline.curve().best(),
                baseline.steps());
    }

    /**
     * Saves {@code settings} as the folder's, or with {@code resume} checks them against the saved ones; a folder
     * that already holds an experiment is refused without {@code resume}.
     */
    static void claimFolder(Fig3Settings settings, Path outDir, boolean resume) throws IOException {
        Path file = outDir.resolve(SETTINGS_FILE);
        if (!Files.isRegularFile(file)) {
            if (resume) {
                LOG.info("fig3: nothing to resume in {}: starting", outDir);
            }
            Json.write(file, settings);
            return;
        }
        if (!resume) {
            throw new UserError(outDir + " already holds a fig3 experiment (" + SETTINGS_FILE + "); pass --resume "
                    + "to continue it or choose another --out");
        }
        Fig3Settings saved = Json.read(file, Fig3Settings.class);
        List<String> differences = new ArrayList<>();
        for (RecordComponent c : Fig3Settings.class.getRecordComponents()) {
            try {
                Object now = c.getAccessor().invoke(settings);
                Object then = c.getAccessor().invoke(saved);
                if (!Objects.equals(now, then)) {
                    differences.add(c.getName() + " " + now + " (the saved experiment has " + then + ")");
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        if (!differences.isEmpty()) {
            throw new UserError("cannot resume the fig3 experiment in " + outDir + ": its settings differ from the "
                    + "saved ones (" + SETTINGS_FILE + "): " + String.join("; ", differences));
        }
    }

    private static void writeCurves(List<Fig3Run> runs, int classes, int validationImages, Path outDir)
            throws IOException {
        List<Curve> curves = runs.stream().map(Fig3Run::curve).toList();
        Curve.writeCsv(outDir.resolve("fig3-accuracy.csv"), curves, "recipe", "val_accuracy");
        renderAccuracy(curves, classes, validationImages, outDir);
    }

    /** Figure 2, {@code fig2-accuracy.png} and {@code fig2-accuracy-logx.png}, from the curves. */
    public static void renderAccuracy(List<Curve> curves, int classes, int validationImages, Path outDir)
            throws IOException {
        String title = "Figure 2: BN-Inception recipes, validation accuracy";
        Curve.plot(curves, title, "validation accuracy", 1.0 / classes, validationImages,
                outDir.resolve("fig2-accuracy.png"));
        Curve.plot(curves, title + " (log steps)", "validation accuracy", 1.0 / classes, validationImages,
                outDir.resolve("fig2-accuracy-logx.png"), true);
    }
}
