package org.bn4j.inception.train;

import org.bn4j.inception.Json;
import org.bn4j.inception.UserError;
import org.bn4j.inception.data.ImageBatches;
import org.bn4j.inception.data.ImageFolderData;
import org.bn4j.inception.data.ImagePreprocessing;
import org.bn4j.inception.recipe.Recipe;
import org.bn4j.parallel.ParallelTrainer;
import org.bn4j.statistics.PopulationStatistics;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One training run into an output folder, fresh or resumed, the one way {@code train}, {@code experiment fig3},
 * {@code experiment small-batch} and {@code search} train a network: {@link #builder} takes the recipe, network, data
 * and settings, then the optional parts (progress, listeners, an epoch fitter, checkpoints on or off, ...); {@link
 * #run} builds (or restores) the network, trains it with a {@link Trainer}, and leaves in the folder {@code run.json}
 * (recipe, network, data provenance), {@code metrics.csv}, {@code checkpoint.zip} and the final {@code model.zip}.
 */
public final class TrainingRun {

    /** File name of the run manifest inside the output folder. */
    public static final String MANIFEST_FILE = "run.json";
    private static final Logger log = LoggerFactory.getLogger(TrainingRun.class);

    private final Recipe recipe;
    private final NetworkSettings network;
    private final ImageFolderData data;
    private final TrainingSettings settings;
    private final ImagePreprocessing preprocessing;
    private final Consumer<ComputationGraphConfiguration> configuration;
    private final List<String> arguments;
    private final SavedRun savedRun;
    private final boolean checkpoints;
    private final Trainer trainer;

    private TrainingRun(Builder b) {
        this.recipe = b.recipe;
        this.network = b.network;
        this.data = b.data;
        this.settings = b.settings;
        this.preprocessing = b.preprocessing;
        this.configuration = b.configuration;
        this.arguments = b.arguments;
        this.savedRun = b.savedRun;
        this.checkpoints = b.checkpoints;
        this.trainer = new Trainer(b);
    }

    /** A builder of a run of {@code recipe} with {@code network} on {@code data} (already scanned). */
    public static Builder builder(Recipe recipe, NetworkSettings network, ImageFolderData data,
                                  TrainingSettings settings) {
        return new Builder(recipe, network, data, settings);
    }

    /** Which population statistics a network trained with {@code populationBatches} ends with, in words. */
    public static String describeFinalStatistics(int populationBatches) {
        return populationBatches > 0
                ? "Algorithm 2 (paper section 3.1) over up to " + populationBatches
                        + " training batches after the last epoch"
                : "the moving averages kept during training";
    }

    /** What a finished run produced. */
    public record Result(SavedModel model, TrainingState state) {
        /** Validation accuracy after the last epoch. */
        public double finalAccuracy() {
            return state.history().get(state.history().size() - 1).valAccuracy();
        }
    }

    /** Where {@link #run} saves the final model (with checkpoints on). */
    public Path modelFile() {
        return settings.outDir().resolve(SavedModel.FILE_NAME);
    }

    /**
     * Trains to the end. With {@code resume} and a checkpoint in the output folder, continues from it (the saved
     * recipe and network are kept, after {@link SavedRun#continuedAs} found them the same); without {@code resume} an
     * existing checkpoint is an error, so that a finished or interrupted run is never silently overwritten.
     */
    public Result run(boolean resume) throws IOException {
        Files.createDirectories(settings.outDir());
        CheckpointStore store = trainer.checkpoints();
        RunManifest manifest = RunManifest.started(recipe, network, data.provenance(), settings,
                trainer.iterationsPerEpoch(), arguments, preprocessing);
        ComputationGraph graph;
        TrainingState state;
        Optional<CheckpointStore.Checkpoint> checkpoint = resume ? store.load() : Optional.empty();
        if (checkpoint.isPresent()) {
            SavedRun saved = savedRun != null ? savedRun : SavedRun.read(settings.outDir());
            manifest = saved.continuedAs(manifest);
            graph = checkpoint.get().network();
            state = checkpoint.get().state();
            log.info("resuming {} at epoch {}, batch {}", store.file(), state.epoch() + 1, state.batchesDone());
        } else {
            if (store.exists()) {
                throw new UserError(settings.outDir() + " already holds a run (" + CheckpointStore.FILE_NAME
                        + "); pass --resume to continue it or choose another --out");
            }
            if (resume) {
                log.info("no checkpoint in {}: starting a new run", settings.outDir());
            }
            graph = newNetwork();
            state = TrainingState.fresh();
            if (checkpoints) {
                Json.write(settings.outDir().resolve(MANIFEST_FILE), manifest);
            }
        }
        state = trainer.train(graph, state);
        SavedModel model = new SavedModel(graph, manifest);
        if (checkpoints) {
            model.save(modelFile());
        }
        return new Result(model, state);
    }

    private ComputationGraph newNetwork() {
        ComputationGraphConfiguration conf = network.configuration(recipe, data.labels().size(),
                trainer.iterationsPerEpoch(), settings.seed());
        configuration.accept(conf);
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** The parts of a {@link TrainingRun}; every setter says its default. */
    public static final class Builder {
        final Recipe recipe;
        final NetworkSettings network;
        final ImageFolderData data;
        final TrainingSettings settings;
        ImagePreprocessing preprocessing = ImagePreprocessing.DEFAULT;
        Consumer<ComputationGraphConfiguration> configuration = conf -> { };
        List<String> arguments;
        SavedRun savedRun;
        boolean checkpoints = true;
        ProgressReporter progress = ProgressReporter.SILENT;
        final List<TrainingListener> listeners = new ArrayList<>();
        int populationBatches;
        EpochFitter epochFitter;
        int replicas = 1;
        int decodeThreads = ImageBatches.DEFAULT_DECODE_THREADS;
        int evaluateEvery;
        StopRule stopRule = StopRule.NEVER;
        StopRequest stopRequest = new StopRequest();

        private Builder(Recipe recipe, NetworkSettings network, ImageFolderData data, TrainingSettings settings) {
            this.recipe = Objects.requireNonNull(recipe, "recipe");
            this.network = Objects.requireNonNull(network, "network");
            this.data = Objects.requireNonNull(data, "data");
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /** How image files become network inputs (crops), saved with the run. Defaults to the original squash. */
        public Builder preprocessing(ImagePreprocessing preprocessing) {
            this.preprocessing = Objects.requireNonNull(preprocessing);
            return this;
        }

        /**
         * Adjusts the configuration of a new network before it is initialized (the search's BN options); a resumed
         * network is the checkpoint's. Defaults to no change.
         */
        public Builder configuration(Consumer<ComputationGraphConfiguration> adjust) {
            this.configuration = Objects.requireNonNull(adjust);
            return this;
        }

        /** The command-line options that made this run, saved in its manifest for resuming. Defaults to none. */
        public Builder arguments(List<String> arguments) {
            this.arguments = List.copyOf(arguments);
            return this;
        }

        /**
         * The run already in the output folder, as the caller read it ({@code train --resume} reads it first for its
         * options), so that {@code run.json} is read once. Defaults to reading it when a checkpoint is resumed.
         */
        public Builder savedRun(SavedRun savedRun) {
            this.savedRun = Objects.requireNonNull(savedRun);
            return this;
        }

        /**
         * Whether the run can be resumed and reloaded from its folder: {@code checkpoint.zip} along the way,
         * {@code run.json} at the start and {@code model.zip} at the end. Off, the network lives in memory (a search's
         * candidates: short, never resumed) and the folder gets {@code metrics.csv} only; the trained network is
         * {@link Result#model()}. Defaults to on.
         */
        public Builder checkpoints(boolean on) {
            this.checkpoints = on;
            return this;
        }

        /** Where progress is shown. Defaults to {@link ProgressReporter#SILENT}. */
        public Builder progress(ProgressReporter progress) {
            this.progress = Objects.requireNonNull(progress);
            return this;
        }

        /**
         * Adds a listener that is attached to the network and also receives {@code onEpochStart}/{@code onEpochEnd}
         * (e.g. a distribution monitor). Defaults to none.
         */
        public Builder listener(TrainingListener listener) {
            listeners.add(Objects.requireNonNull(listener));
            return this;
        }

        /**
         * After the last epoch, re-estimate every BN layer's population statistics with the paper's Algorithm 2 from
         * up to {@code maxBatches} training mini-batches (see {@link PopulationStatistics}) before the final
         * validation, instead of keeping the moving averages that followed training. 0 keeps the moving averages.
         * Defaults to 0.
         */
        public Builder populationBatches(int maxBatches) {
            if (maxBatches < 0) {
                throw new UserError("population batches must be >= 0, got " + maxBatches);
            }
            this.populationBatches = maxBatches;
            return this;
        }

        /**
         * Fits each epoch with {@code fitter} (e.g. on Spark) instead of batch by batch here; Algorithm 2 then runs
         * through it too. Checkpoints are then written after every epoch only. Defaults to this machine.
         */
        public Builder epochFitter(EpochFitter fitter) {
            this.epochFitter = Objects.requireNonNull(fitter);
            return this;
        }

        /**
         * Splits every training mini-batch over {@code replicas} replicas of the network on as many threads
         * ({@link ParallelTrainer}, synchronized batch statistics: the same SGD step). 1 = the network's own
         * {@code fit}. Ignored with an {@link #epochFitter}. Defaults to 1.
         */
        public Builder replicas(int replicas) {
            if (replicas < 1) {
                throw new UserError("replicas must be >= 1, got " + replicas);
            }
            this.replicas = replicas;
            return this;
        }

        /**
         * Decodes and augments each batch's images on {@code threads} threads ({@link ImageBatches#decodeThreads}).
         * Defaults to {@value ImageBatches#DEFAULT_DECODE_THREADS}.
         */
        public Builder decodeThreads(int threads) {
            this.decodeThreads = threads;
            return this;
        }

        /**
         * Also validates every {@code steps} iterations inside an epoch (each validation is kept in
         * {@link TrainingState#validations()} and checked by the {@link #stopRule}), so that a learning curve is
         * resolved finer than an epoch. 0 = after every epoch only. Ignored with an {@link #epochFitter}. Defaults
         * to 0.
         */
        public Builder evaluateEvery(int steps) {
            if (steps < 0) {
                throw new UserError("evaluation interval must be >= 0 steps, got " + steps);
            }
            this.evaluateEvery = steps;
            return this;
        }

        /**
         * Ends training before the last epoch when {@code rule} says so after a validation; the run then ends with a
         * checkpoint whose state is {@link TrainingState#stopped()}. Defaults to {@link StopRule#NEVER}.
         */
        public Builder stopRule(StopRule rule) {
            this.stopRule = Objects.requireNonNull(rule);
            return this;
        }

        /**
         * Where a request to stop comes from (a shutdown hook on Ctrl-C or {@code kill}): at the next mini-batch
         * boundary the trainer saves a checkpoint, marks the request stopped and throws {@link TrainingStopped}. Not
         * checked by an {@link #epochFitter}. Defaults to a request nobody makes.
         */
        public Builder stopRequest(StopRequest stopRequest) {
            this.stopRequest = Objects.requireNonNull(stopRequest);
            return this;
        }

        /** The run. */
        public TrainingRun build() {
            return new TrainingRun(this);
        }
    }
}
