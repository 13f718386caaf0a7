package org.bn4j.inception.train;

import org.bn4j.inception.Json;
import org.bn4j.inception.UserError;
import org.bn4j.inception.data.ImageBatches;
import org.bn4j.inception.data.ImageFolderData;
import org.bn4j.inception.data.ImagePreprocessing;
import org.bn4j.inception.recipe.Recipe;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One training run into an output folder, fresh or resumed: builds (or restores) the network, trains it with a
 * {@link Trainer}, and leaves in the folder {@code run.json} (recipe, network, data provenance), {@code metrics.csv},
 * {@code checkpoint.zip} and the final {@code model.zip}.
 */
public final class TrainingRun {

    /** File name of the run manifest inside the output folder. */
    public static final String MANIFEST_FILE = "run.json";
    private static final Logger log = LoggerFactory.getLogger(TrainingRun.class);

    private final Recipe recipe;
    private final NetworkSettings network;
    private final ImageFolderData data;
    private final TrainingSettings settings;
    private final Trainer trainer;
    private final ImagePreprocessing preprocessing;
    private List<String> arguments;

    /** A run of {@code recipe} on {@code data}. */
    public TrainingRun(Recipe recipe, NetworkSettings network, ImageFolderData data, TrainingSettings settings) {
        this(recipe, network, data, settings, ImagePreprocessing.DEFAULT);
    }

    /** A run of {@code recipe} on {@code data} whose images are cropped as {@code preprocessing} says. */
    public TrainingRun(Recipe recipe, NetworkSettings network, ImageFolderData data, TrainingSettings settings,
                       ImagePreprocessing preprocessing) {
        this.recipe = recipe;
        this.network = network;
        this.data = data;
        this.settings = settings;
        this.preprocessing = preprocessing;
        this.trainer = new Trainer(data, new ImageBatches(network.imageShape(), data.labels(), preprocessing), recipe,
                settings);
    }

    /**
     * The trainer of this run, to configure before {@link #run}: listeners, progress, Algorithm 2 after the last
     * epoch, an epoch fitter (see {@link Trainer}'s setters and their defaults).
     */
    public Trainer trainer() {
        return trainer;
    }

    /** The command-line options that made this run, saved in its manifest for resuming. Defaults to none. */
    public TrainingRun arguments(List<String> arguments) {
        this.arguments = arguments == null ? null : List.copyOf(arguments);
        return this;
    }

    /** What a finished run produced. */
    public record Result(SavedModel model, TrainingState state, Path modelFile) {
        /** Validation accuracy after the last epoch. */
        public double finalAccuracy() {
            return state.history().get(state.history().size() - 1).valAccuracy();
        }
    }

    /**
     * Trains to the end. With {@code resume} and a checkpoint in the output folder, continues from it (the saved
     * recipe and network are kept); without {@code resume} an existing checkpoint is an error, so that a finished or
     * interrupted run is never silently overwritten.
     */
    public Result run(boolean resume) throws IOException {
        Files.createDirectories(settings.outDir());
        CheckpointStore checkpoints = trainer.checkpoints();
        RunManifest manifest = new RunManifest(RunManifest.FORMAT_VERSION, recipe, network, data.provenance(),
                settings.epochs(), settings.batchSize(), settings.seed(), settings.augment(),
                trainer.iterationsPerEpoch(), Instant.now().toString(), arguments, preprocessing);
        ComputationGraph graph;
        TrainingState state;
        Optional<CheckpointStore.Checkpoint> checkpoint = resume ? checkpoints.load() : Optional.empty();
        if (checkpoint.isPresent()) {
            RunManifest saved = RunManifest.readForResume(settings.outDir().resolve(MANIFEST_FILE));
            requireSameRun(saved, manifest);
            manifest = new RunManifest(saved.formatVersion(), saved.recipe(), saved.network(), saved.data(),
                    settings.epochs(), saved.batchSize(), saved.seed(), saved.augment(), saved.iterationsPerEpoch(),
                    saved.createdAt(), arguments == null ? saved.arguments() : arguments, saved.preprocessing());
            graph = checkpoint.get().network();
            state = checkpoint.get().state();
            log.info("resuming {} at epoch {}, batch {}", checkpoints.file(), state.epoch() + 1, state.batchesDone());
        } else {
            if (checkpoints.exists()) {
                throw new UserError(settings.outDir() + " already holds a run (" + CheckpointStore.FILE_NAME
                        + "); pass --resume to continue it or choose another --out");
            }
            if (resume) {
                log.info("no checkpoint in {}: starting a new run", settings.outDir());
            }
            graph = network.build(recipe, data.labels().size(), trainer.iterationsPerEpoch(), settings.seed());
            state = TrainingState.fresh();
            Json.write(settings.outDir().resolve(MANIFEST_FILE), manifest);
        }
        state = trainer.train(graph, state);
        SavedModel model = new SavedModel(graph, manifest);
        Path modelFile = settings.outDir().resolve(SavedModel.FILE_NAME);
        model.save(modelFile);
        return new Result(model, state, modelFile);
    }

    /** The checkpoint continues only the run it belongs to: same recipe, network, data classes and batching. */
    private static void requireSameRun(RunManifest saved, RunManifest now) {
        List<String> differences = new ArrayList<>();
        compare(differences, "recipe", saved.recipe(), now.recipe());
        compare(differences, "network", saved.network(), now.network());
        compare(differences, "classes", saved.data().labels(), now.data().labels());
        compare(differences, "batch size", saved.batchSize(), now.batchSize());
        compare(differences, "seed", saved.seed(), now.seed());
        compare(differences, "augmentation", saved.augment(), now.augment());
        compare(differences, "iterations per epoch", saved.iterationsPerEpoch(), now.iterationsPerEpoch());
        compare(differences, "preprocessing", saved.inputPreprocessing(), now.inputPreprocessing());
        String fingerprint = saved.data().trainFingerprint();           // null: a run saved before it was recorded
        if (differences.isEmpty() && fingerprint != null && !fingerprint.equals(now.data().trainFingerprint())) {
            throw new UserError("cannot resume: the training images changed since the run started (files added, "
                    + "removed, replaced or modified in " + now.data().root() + "); resuming would continue on "
                    + "other data than the checkpoint's. Restore the images, or start a new run in another --out");
        }
        if (!differences.isEmpty()) {
            throw new UserError("cannot resume: the checkpoint belongs to another run: " + String.join("; ",
                    differences));
        }
    }

    private static void compare(List<String> differences, String what, Object saved, Object now) {
        if (!saved.equals(now)) {
            differences.add(what + " " + now + " (the checkpoint's run has " + saved + ")");
        }
    }
}
