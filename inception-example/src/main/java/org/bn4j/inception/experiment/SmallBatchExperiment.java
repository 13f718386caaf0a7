package org.bn4j.inception.experiment;

import org.bn4j.RenormSchedule;
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

/**
 * Small mini-batches (issue 26; Ioffe 2017 §4.2): the example's BN-Inception on the same images at each batch size B
 * of {@link SmallBatchSettings}, with
 * <ul>
 *   <li>{@code bn-B}: plain batch normalization, mini-batches of B;</li>
 *   <li>{@code renorm-B}: Batch Renormalization, mini-batches of B;</li>
 *   <li>{@code ghost-B}: ghost batches of B inside mini-batches of the largest size G (statistics of B examples,
 *       gradients of G; for B = G the same as {@code bn-G}, so not run).</li>
 * </ul>
 * Every run goes through the application's {@link TrainingRun} ({@code runs/<name>/}, resumable) and is scored by its
 * validation accuracy with inference (population) statistics after every epoch. Files: {@code small-batch.csv}
 * (accuracy against images seen), {@code small-batch.png}, and the report {@link SmallBatchReport#FILE}.
 */
public final class SmallBatchExperiment {

    private static final Logger LOG = LoggerFactory.getLogger(SmallBatchExperiment.class);

    /** One run's outcome. */
    public record Run(String name, String variant, int normalizationBatch, int miniBatch, Curve accuracy,
                      double seconds) {
    }

    /** All runs, in order, with the data description and total wall time. */
    public record Result(SmallBatchSettings settings, String dataSource, List<Run> runs, double totalSeconds) {

        /** The run of {@code variant} ("bn", "renorm", "ghost") at normalization batch {@code b}, or null. */
        public Run find(String variant, int b) {
            return runs.stream().filter(r -> r.variant().equals(variant) && r.normalizationBatch() == b).findFirst()
                    .orElse(null);
        }
    }

    private SmallBatchExperiment() {
    }

    /** Runs every variant of {@code settings} on {@code data}; writes the files and the report into {@code outDir}. */
    public static Result run(SmallBatchSettings settings, ImageFolderData data, Path outDir, String command)
            throws IOException {
        Files.createDirectories(outDir);
        long start = System.nanoTime();
        Recipe preset = RecipeCatalog.bundled().get(SmallBatchSettings.RECIPE);
        NetworkSettings network = new NetworkSettings(settings.imageSize(), settings.imageSize(),
                data.inputChannels(), settings.widthMultiplier(), Stem.AUTO, settings.convolution());
        int trainImages = data.train().size();
        int g = settings.ghostMiniBatch();
        List<Run> runs = new ArrayList<>();
        for (int b : settings.batchSizes()) {
            RenormSchedule schedule = SmallBatchSettings.renormSchedule(settings.steps(b, trainImages));
            runs.add(train("bn-" + b, "bn", b, b, preset, null, null, settings, network, data, outDir));
            runs.add(train("renorm-" + b, "renorm", b, b, preset, schedule, null, settings, network, data, outDir));
            if (b < g) {
                runs.add(train("ghost-" + b, "ghost", b, g, preset, null, b, settings, network, data, outDir));
            }
            List<Curve> curves = runs.stream().map(Run::accuracy).toList();
            Curve.writeCsv(outDir.resolve("small-batch.csv"), curves, "run", "val_accuracy");
            Curve.plot(curves, "Small mini-batches: validation accuracy (inference statistics)",
                    "validation accuracy", 1.0 / data.labels().size(), data.val().size(),
                    outDir.resolve("small-batch.png"));
        }
        String source = String.format(java.util.Locale.ROOT, "%s (%s): %d training / %d validation images, %d "
                        + "classes", data.provenance().source(), data.provenance().layout(),
                data.provenance().trainImages(), data.provenance().valImages(), data.labels().size());
        Result result = new Result(settings, source, runs, (System.nanoTime() - start) / 1e9);
        SmallBatchReport.write(result, outDir.resolve(SmallBatchReport.FILE), command);
        return result;
    }

    private static Run train(String name, String variant, int normalizationBatch, int miniBatch, Recipe preset,
                             RenormSchedule renorm, Integer ghost, SmallBatchSettings settings,
                             NetworkSettings network, ImageFolderData data, Path outDir) throws IOException {
        long t = System.nanoTime();
        Recipe recipe = new RecipeOverrides(null, null, null, null, null, null, null, null, null, null,
                renorm != null, renorm, ghost == null ? 0 : ghost).applyTo(preset);
        TrainingSettings training = new TrainingSettings(settings.epochs(), miniBatch, Integer.MAX_VALUE,
                outDir.resolve("runs").resolve(name), settings.seed(), false);
        LOG.info("small-batch: training {} ({})", name, recipe.bnOptions().describe());
        TrainingRun.Result result = new TrainingRun(recipe, network, data, training).run(true);
        Curve curve = new Curve(name, List.of());
        for (EpochMetrics epoch : result.state().history()) {
            curve = curve.plus((long) epoch.epoch() * data.train().size(), epoch.valAccuracy());   // x: images seen
        }
        double seconds = (System.nanoTime() - t) / 1e9;
        LOG.info("small-batch: {} validation accuracy {} after {} s", name, Fig1Experiment.fmt(curve.last()),
                Math.round(seconds));
        return new Run(name, variant, normalizationBatch, miniBatch, curve, seconds);
    }
}
