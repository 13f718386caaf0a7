package org.bn4j.inception.train;

import org.bn4j.inception.Json;
import org.bn4j.inception.UserError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The run already in an output folder, as a resume finds it: its manifest {@code run.json}, read once, and the one
 * check that a run about to continue it is the same run ({@link #continuedAs}).
 */
public final class SavedRun {

    private final Path file;
    private final RunManifest manifest;

    private SavedRun(Path file, RunManifest manifest) {
        this.file = file;
        this.manifest = manifest;
    }

    /**
     * The run in {@code outDir}, or empty when the folder holds none (neither {@code run.json} nor a checkpoint); a
     * {@link UserError} saying what to do when a checkpoint is there but the manifest is missing or damaged.
     */
    public static Optional<SavedRun> in(Path outDir) {
        Path file = outDir.resolve(TrainingRun.MANIFEST_FILE);
        if (!Files.isRegularFile(file) && !new CheckpointStore(outDir).exists()) {
            return Optional.empty();
        }
        return Optional.of(read(outDir));
    }

    /** The run whose checkpoint in {@code outDir} is resumed; a {@link UserError} when its manifest is unusable. */
    static SavedRun read(Path outDir) {
        Path file = outDir.resolve(TrainingRun.MANIFEST_FILE);
        if (!Files.isRegularFile(file)) {
            throw new UserError("cannot resume: " + file + " is missing, so the run's settings are unknown; start "
                    + "over (delete " + outDir + " or give another --out)");
        }
        try {
            return new SavedRun(file, Json.read(file, RunManifest.class));
        } catch (IOException | RuntimeException e) {
            throw new UserError("cannot resume: " + file + " is damaged (" + e.getClass().getSimpleName()
                    + "), so the run's settings are unknown; restore the file from a copy, or start over (delete "
                    + outDir + " or give another --out)", e);
        }
    }

    /**
     * The {@code train} options saved with the run, from which {@code train --resume} restores it; a
     * {@link UserError} for a run of an older version, which did not save them.
     */
    public List<String> arguments() {
        if (manifest.arguments() == null) {
            throw new UserError(file + " was written by an older version that did not save the train options; "
                    + "resume that run with the older version, or start a new run");
        }
        return manifest.arguments();
    }

    /**
     * The manifest of this run continued by a run that would start as {@code now}: the saved one, with the epochs of
     * {@code now} (which may be raised) and its options when it has them. A {@link UserError} when {@code now} is
     * another run: another recipe, network, data classes, batching or preprocessing, or changed training images.
     */
    RunManifest continuedAs(RunManifest now) {
        List<String> differences = new ArrayList<>();
        compare(differences, "recipe", manifest.recipe(), now.recipe());
        compare(differences, "network", manifest.network(), now.network());
        compare(differences, "classes", manifest.data().labels(), now.data().labels());
        compare(differences, "batch size", manifest.batchSize(), now.batchSize());
        compare(differences, "seed", manifest.seed(), now.seed());
        compare(differences, "augmentation", manifest.augment(), now.augment());
        compare(differences, "iterations per epoch", manifest.iterationsPerEpoch(), now.iterationsPerEpoch());
        compare(differences, "preprocessing", manifest.inputPreprocessing(), now.inputPreprocessing());
        String fingerprint = manifest.data().trainFingerprint();      // null: a run saved before it was recorded
        if (differences.isEmpty() && fingerprint != null && !fingerprint.equals(now.data().trainFingerprint())) {
            throw new UserError("cannot resume: the training images changed since the run started (files added, "
                    + "removed, replaced or modified in " + now.data().root() + "); resuming would continue on "
                    + "other data than the checkpoint's. Restore the images, or start a new run in another --out");
        }
        if (!differences.isEmpty()) {
            throw new UserError("cannot resume: the checkpoint belongs to another run: " + String.join("; ",
                    differences));
        }
        return manifest.continuedTo(now.epochs(), now.arguments());
    }

    private static void compare(List<String> differences, String what, Object saved, Object now) {
        if (!saved.equals(now)) {
            differences.add(what + " " + now + " (the checkpoint's run has " + saved + ")");
        }
    }
}
