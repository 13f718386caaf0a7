package org.bn4j.inception.experiment;

import org.bn4j.inception.data.ImageFolderData;
import org.bn4j.inception.net.Stem;
import org.bn4j.inception.recipe.Recipe;
import org.bn4j.inception.recipe.RecipeCatalog;
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
 * Experiment 2 of Ioffe &amp; Szegedy 2015, §4.2.1 / Figures 2 and 3: the inception-example recipes trained one
 * after the other on the same image folders with the same network shape, through the application's own
 * {@link TrainingRun} (so each run lands in {@code runs/<recipe>/} with its manifest, metrics and model, and a
 * re-run resumes or reuses finished runs).
 *
 * <p>Files: {@code fig3-accuracy.csv} and {@code fig2-accuracy.png} (validation accuracy after every epoch against
 * steps, all recipes; rewritten after every recipe), and the report {@code fig3-report.md} with the Figure 3 table.
 */
public final class Fig3Experiment {

    private static final Logger LOG = LoggerFactory.getLogger(Fig3Experiment.class);

    private Fig3Experiment() {
    }

    /**
     * Runs every recipe of {@code settings} on {@code data} and writes the files and report into {@code outDir}, each
     * training step split over {@code replicas} replicas of the network (bn4j's ParallelTrainer; 1 = the network's
     * own fit).
     */
    public static Fig3Result run(Fig3Settings settings, ImageFolderData data, Path outDir, String command,
                                 int replicas) throws IOException {
        Files.createDirectories(outDir);
        long start = System.nanoTime();
        RecipeCatalog catalog = RecipeCatalog.bundled();
        List<Recipe> recipes = settings.recipes().stream().map(catalog::get).toList();
        int channels = data.inputChannels();
        NetworkSettings network = new NetworkSettings(settings.imageSize(), settings.imageSize(), channels,
                settings.widthMultiplier(), Stem.AUTO, settings.convolution());
        List<Curve> curves = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        for (Recipe recipe : recipes) {
            long t = System.nanoTime();
            TrainingSettings training = new TrainingSettings(settings.epochs(), settings.batchSize(),
                    Integer.MAX_VALUE, outDir.resolve("runs").resolve(recipe.name()), settings.seed(), false);
            LOG.info("fig3: training {}", recipe.describe());
            TrainingRun run = new TrainingRun(recipe, network, data, training);
            run.trainer().replicas(replicas);
            TrainingRun.Result result = run.run(true);
            Curve curve = new Curve(recipe.name(), List.of());
            for (EpochMetrics epoch : result.state().history()) {
                curve = curve.plus(epoch.iterations(), epoch.valAccuracy());
            }
            curves.add(curve);
            seconds.add((System.nanoTime() - t) / 1e9);
            LOG.info("fig3: {} best validation accuracy {} after {} s", recipe.name(),
                    Fig1Experiment.fmt(curve.best()), Math.round(seconds.get(seconds.size() - 1)));
            Curve.writeCsv(outDir.resolve("fig3-accuracy.csv"), curves, "recipe", "val_accuracy");
            renderAccuracy(curves, data.labels().size(), data.val().size(), outDir);
        }
        String source = String.format(java.util.Locale.ROOT, "%s (%s): %d training / %d validation images, %d "
                        + "classes", data.provenance().source(), data.provenance().layout(),
                data.provenance().trainImages(), data.provenance().valImages(), data.labels().size());
        Fig3Result result = new Fig3Result(settings, source, curves, seconds,
                (System.nanoTime() - start) / 1e9);
        Fig3Report.write(result, outDir.resolve(Fig3Report.FILE), command);
        return result;
    }

    /** Figure 2, {@code fig2-accuracy.png}, from the curves (also from a saved {@code fig3-accuracy.csv}). */
    public static void renderAccuracy(List<Curve> curves, int classes, int validationImages, Path outDir)
            throws IOException {
        Curve.plot(curves, "Figure 2: BN-Inception recipes, validation accuracy", "validation accuracy",
                1.0 / classes, validationImages, outDir.resolve("fig2-accuracy.png"));
    }
}
