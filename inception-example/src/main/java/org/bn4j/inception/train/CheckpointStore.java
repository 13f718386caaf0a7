package org.bn4j.inception.train;

import org.bn4j.inception.AtomicFiles;
import org.bn4j.inception.Json;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The checkpoint of a run: {@code <out>/checkpoint.zip}, a DL4J model zip with the updater state (momentum) and the
 * {@link TrainingState} as an extra entry. Written to a temporary file and renamed, so after a kill -9 the file is
 * either the previous checkpoint or the new one.
 */
public final class CheckpointStore {

    /** File name of the checkpoint inside the output folder. */
    public static final String FILE_NAME = "checkpoint.zip";
    private static final String STATE_ENTRY = "bn4j-training-state.json";

    private final Path file;
    /** Iterations done when this run last wrote (or read) the checkpoint; -1 before that. */
    private int iteration = -1;

    /** The checkpoint of the run writing to {@code outDir}. */
    public CheckpointStore(Path outDir) {
        this.file = outDir.resolve(FILE_NAME);
    }

    /** True when a checkpoint exists. */
    public boolean exists() {
        return Files.isRegularFile(file);
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
     * is not finite, so a diverged run never replaces its last good checkpoint.
     */
    public void save(ComputationGraph network, TrainingState state) throws IOException {
        TrainingDiverged.requireFiniteWeights(network, describe());
        String stateJson = Json.MAPPER.writeValueAsString(state);
        AtomicFiles.writeFile(file, tmp -> {
            ModelSerializer.writeModel(network, tmp.toFile(), true);
            ModelSerializer.addObjectToFile(tmp.toFile(), STATE_ENTRY, stateJson);
        });
        iteration = network.getIterationCount();
    }

    /** The saved network (with updater state) and training state, if a checkpoint exists. */
    public Optional<Checkpoint> load() throws IOException {
        if (!exists()) {
            return Optional.empty();
        }
        ComputationGraph network = ModelSerializer.restoreComputationGraph(file.toFile(), true);
        String stateJson = ModelSerializer.getObjectFromFile(file.toFile(), STATE_ENTRY);
        iteration = network.getIterationCount();
        return Optional.of(new Checkpoint(network, Json.MAPPER.readValue(stateJson, TrainingState.class)));
    }

    /** A restored checkpoint. */
    public record Checkpoint(ComputationGraph network, TrainingState state) {
    }
}
