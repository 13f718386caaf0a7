package org.bn4j.inception.cli;

import org.apache.spark.api.java.JavaSparkContext;
import org.bn4j.inception.data.ImageBatches;
import org.bn4j.inception.data.ImageFolderData;
import org.bn4j.inception.data.ImagePreprocessing;
import org.bn4j.inception.net.Stem;
import org.bn4j.inception.recipe.Recipe;
import org.bn4j.inception.recipe.RecipeCatalog;
import org.bn4j.inception.train.ConsoleProgress;
import org.bn4j.inception.train.NetworkSettings;
import org.bn4j.inception.train.ProgressReporter;
import org.bn4j.inception.train.RunFolder;
import org.bn4j.inception.train.SavedRun;
import org.bn4j.inception.train.StopRequest;
import org.bn4j.inception.train.TrainingRun;
import org.bn4j.inception.train.TrainingSettings;
import org.deeplearning4j.optimize.api.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code train}: trains BN-Inception (or a paper variant) with a §4.2.1 recipe on image folders. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train BN-Inception on image folders with a recipe of the paper (section 4.2.1).")
public class TrainCommand implements Callable<Integer> {

    /** Options not saved with a run: where it is and how it is shown. */
    private static final Set<String> NOT_SAVED = Set.of("--out", "--resume", "--no-progress", "--replicas");
    /** Options that {@code --resume} takes from the command line (the rest come from the saved run). */
    private static final Set<String> SESSION_OPTIONS = Set.of("--out", "--resume", "--no-progress", "--epochs",
            "--replicas");

    @Mixin
    DataOptionsMixin dataOptions;

    @Mixin
    RecipeOverridesMixin recipeOverrides;

    @Mixin
    MonitorOption monitor;

    @Mixin
    InputShapeMixin inputShape;

    @Mixin
    ConvolutionOption convolution;

    @Mixin
    SparkOptionsMixin spark;

    @Mixin
    ReplicasOption replicas;

    @Mixin
    CropOptionsMixin crops;

    @Mixin
    DecodeThreadsOption decodeThreads;

    @Option(names = "--recipe", defaultValue = "bn-x5",
            description = "inception, bn-baseline, bn-x5, bn-x30 or bn-x5-sigmoid (default: ${DEFAULT-VALUE}).")
    String recipeName;

    @Option(names = "--epochs", defaultValue = "3", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "64", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--width", defaultValue = "0.25",
            description = "Width multiplier on the paper's channel counts (default: ${DEFAULT-VALUE}).")
    double widthMultiplier;

    @Option(names = "--out", defaultValue = "runs/inception", paramLabel = "DIR",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint, with the options "
            + "saved in its run.json (only --epochs may be raised; an option that contradicts the run is an error).")
    boolean resume;

    @Option(names = "--checkpoint-every", defaultValue = "50", paramLabel = "ITERATIONS",
            description = "Checkpoint interval in iterations; also after every epoch (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--augment", description = "Random crop and horizontal flip of training images.")
    boolean augment;

    @Mixin
    FinalStatisticsMixin finalStatistics;

    @Option(names = "--no-progress", description = "No progress bar (epoch summaries only).")
    boolean noProgress;

    @Spec
    CommandSpec spec;

    /** Extra listeners of the run (tests use one to simulate a crash). */
    final List<TrainingListener> listeners = new ArrayList<>();

    /** The stop request the run checks instead of the shutdown hook's (tests use one to simulate Ctrl-C). */
    StopRequest stopRequest;

    @Override
    public Integer call() throws Exception {
        try (RunFolder folder = RunFolder.claim(out, resume)) {        // one writer, never someone else's folder
            Optional<SavedRun> saved = resume ? SavedRun.in(out) : Optional.empty();
            if (saved.isEmpty()) {
                return train(saved);
            }
            TrainCommand restored = ResumeArguments.restore(spec, saved.get().arguments(), SESSION_OPTIONS,
                    TrainCommand::new);
            restored.listeners.addAll(listeners);
            restored.stopRequest = stopRequest;
            return restored.train(saved);
        }
    }

    /** Trains, continuing {@code saved} (the run in --out, read once) when there is one. */
    private int train(Optional<SavedRun> saved) throws IOException {
        PrintStream out = System.out;
        long start = System.nanoTime();
        Recipe recipe = recipeOverrides.overrides().applyTo(RecipeCatalog.bundled().get(recipeName));
        out.println(recipe.describe());
        ImageFolderData data = dataOptions.load(seed, out);
        int inputChannels = inputShape.channelsFor(data);
        int imageSize = inputShape.imageSize();
        Stem stem = inputShape.stem();
        NetworkSettings network = new NetworkSettings(imageSize, imageSize, inputChannels, widthMultiplier, stem,
                convolution.convolution());
        out.printf(Locale.ROOT, "network: BN-Inception %dx%dx%d, width %s, stem %s, %d classes, %s convolution%n",
                imageSize, imageSize, inputChannels, widthMultiplier, stem, data.labels().size(),
                network.convolution());
        ImagePreprocessing preprocessing = crops.withStatistics(network.imageShape(), data, batchSize, out);
        TrainingSettings settings = new TrainingSettings(epochs, batchSize, checkpointEvery, this.out, seed,
                crops.augments(augment));
        try (ProgressReporter progress = new ConsoleProgress(out, !noProgress);
             ShutdownCheckpoint shutdown = new ShutdownCheckpoint(out);
             MonitorOption distributions = monitor;
             JavaSparkContext sc = spark.enabled() ? spark.start() : null) {
            TrainingRun.Builder builder = TrainingRun.builder(recipe, network, data, settings)
                    .preprocessing(preprocessing)
                    .arguments(ResumeArguments.of(spec, NOT_SAVED))
                    .progress(progress)
                    .populationBatches(finalStatistics.populationBatches())
                    .stopRequest(stopRequest != null ? stopRequest : shutdown.request())
                    .decodeThreads(decodeThreads.threads());
            saved.ifPresent(builder::savedRun);
            if (sc == null) {
                builder.replicas(replicas.replicas());
                out.println("training step on " + replicas.replicas() + " replica(s), synchronized batch statistics");
            }
            listeners.forEach(builder::listener);
            if (sc != null) {
                out.println("training through " + spark.describe());
                builder.epochFitter(spark.fitter(sc, batchSize));
            }
            if (distributions.enabled()) {
                distributions.listener(new ImageBatches(network.imageShape(), data.labels(), preprocessing)
                        .checking(data.badFiles())
                        .iterator(data.val(), distributions.examples(), null), this.out)
                        .ifPresent(builder::listener);
            }
            TrainingRun run = builder.build();
            TrainingRun.Result result = run.run(resume);
            double minutes = (System.nanoTime() - start) / 60e9;
            out.printf(Locale.ROOT, "final validation accuracy: %.2f%% (%d images), wall time %.1f min, model %s%n",
                    100 * result.finalAccuracy(), data.val().size(), minutes, run.modelFile());
        }
        return 0;
    }
}
