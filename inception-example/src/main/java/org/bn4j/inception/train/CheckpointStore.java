package org.bn4j.inception.train;

import org.bn4j.inception.AtomicFiles;
import org.bn4j.inception.Json;
import org.bn4j.inception.UserError;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The checkpoint of a run: {@code <out>/checkpoint.zip}, a DL4J model zip with the updater state (momentum), the
 * {@link TrainingState} and a {@link ZipChecksum} as extra entries. Written to a temporary file and renamed, so after
 * a kill -9 the file is either the previous checkpoint or the new one. The checkpoint it replaces is kept as
 * {@code checkpoint-previous.zip}: when the latest is damaged (a disk error, a copy cut short), {@link #load} falls
 * back to the one before, so one damaged file never loses the run.
 */
public final class CheckpointStore {

    /** File name of the checkpoint inside the output folder. */
    public static final String FILE_NAME = "checkpoint.zip";
    /** File name of the checkpoint before the latest. */
    public static final String PREVIOUS_FILE_NAME = "checkpoint-previous.zip";
    private static final String STATE_ENTRY = "bn4j-training-state.json";
    private static final Logger log = LoggerFactory.getLogger(CheckpointStore.class);

    private final Path file;
    private final Path previous;
    /** Iterations done when this run last wrote (or read) the checkpoint; -1 before that. */
    private int iteration = -1;

    /** The checkpoint of the run writing to {@code outDir}. */
    public CheckpointStore(Path outDir) {
        this.file = outDir.resolve(FILE_NAME);
        this.previous = outDir.resolve(PREVIOUS_FILE_NAME);
    }

    /** True when a checkpoint exists (the latest or the previous one). */
    public boolean exists() {
        return Files.isRegularFile(file) || Files.isRegularFile(previous);
    }

    /** Path of the checkpoint file. */
    public Path file() {
        return file;
    }

    /** Where the run can restart from, in words: the last checkpoint written or read, or none. */
    public String describe() {
        return iteration < 0 ? "no checkpoint was written" : "the last checkpoint, " + file + " at iteration "
                + iteration + ", is intact";
    }

    /**
     * Atomically replaces the checkpoint with this network and state; a {@link TrainingDiverged} instead when a weight
     * is not finite, so a diverged run never replaces its last good checkpoint. A failed write (a full disk) is a
     * {@link UserError} that says the last checkpoint is intact.
     */
    public void save(ComputationGraph network, TrainingState state) throws IOException {
        TrainingDiverged.requireFiniteWeights(network, describe());
        String stateJson = Json.MAPPER.writeValueAsString(state);
        try {
            AtomicFiles.writeFile(file, previous, tmp -> {
                ModelSerializer.writeModel(network, tmp.toFile(), true);
                ModelSerializer.addObjectToFile(tmp.toFile(), STATE_ENTRY, stateJson);
                ZipChecksum.add(tmp);
            });
        } catch (IOException e) {
            String reason = String.valueOf(e.getMessage()).contains("No space left") ? "no space left on the device"
                    : e.toString();
            throw new UserError("cannot write the checkpoint at iteration " + network.getIterationCount() + ": "
                    + reason + "; " + describe() + ". Free some space and resume with --resume", e);
        }
        iteration = network.getIterationCount();
    }

    /**
     * The saved network (with updater state) and training state, if a checkpoint exists: the latest, or the previous
     * one when the latest is missing or damaged. A {@link UserError} naming the damage when neither can be read.
     */
    public Optional<Checkpoint> load() {
        if (!exists()) {
            return Optional.empty();
        }
        List<String> problems = new ArrayList<>();
        for (Path candidate : List.of(file, previous)) {
            if (!Files.isRegularFile(candidate)) {
                continue;
            }
            try {
                Checkpoint checkpoint = read(candidate);
                if (!problems.isEmpty()) {
                    log.warn("{}; resuming from the previous checkpoint {}", problems.get(0), candidate);
                }
                iteration = checkpoint.network().getIterationCount();
                return Optional.of(checkpoint);
            } catch (IOException | RuntimeException e) {
                problems.add(candidate + " is damaged (" + e + ")");
            }
        }
        throw new UserError("cannot resume: " + String.join("; ", problems) + ". No intact checkpoint is left: "
                + "start over (delete " + file.getParent() + " or give another --out)");
    }

    private static Checkpoint read(Path candidate) throws IOException {
        if (Files.size(candidate) == 0) {
            throw new IOException("empty file");
        }
        ZipChecksum.verify(candidate);
        ComputationGraph network = ModelSerializer.restoreComputationGraph(candidate.toFile(), true);
        String stateJson = ModelSerializer.getObjectFromFile(candidate.toFile(), STATE_ENTRY);
        return new Checkpoint(network, Json.MAPPER.readValue(stateJson, TrainingState.class));
    }

    /** A restored checkpoint. */
    public record Checkpoint(ComputationGraph network, TrainingState state) {
    }
}
