package org.bn4j.inception.train;

import org.bn4j.inception.UserError;
import org.bn4j.inception.AtomicFiles;
import org.bn4j.inception.Json;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A trained model file: a DL4J model zip (without updater state) carrying the {@link RunManifest} as an extra entry.
 *
 * @param network  the network
 * @param manifest how it was made (labels, input shape, recipe, data)
 */
public record SavedModel(ComputationGraph network, RunManifest manifest) {

    /** File name of the final model inside the output folder. */
    public static final String FILE_NAME = "model.zip";
    private static final String MANIFEST_ENTRY = "bn4j-run.json";

    /** Atomically writes network, manifest and a {@link ZipChecksum} to {@code file}. */
    public void save(Path file) throws IOException {
        String json = Json.MAPPER.writeValueAsString(manifest);
        AtomicFiles.writeFile(file, tmp -> {
            ModelSerializer.writeModel(network, tmp.toFile(), false);
            ModelSerializer.addObjectToFile(tmp.toFile(), MANIFEST_ENTRY, json);
            ZipChecksum.add(tmp);
        });
    }

    /**
     * Loads a model written by {@link #save}; a {@link UserError} naming the file when it is missing, damaged (its
     * checksum does not match, or it does not unzip) or not a bn4j model.
     */
    public static SavedModel load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new UserError("model file " + file + " does not exist");
        }
        try {
            ZipChecksum.verify(file);
        } catch (IOException | RuntimeException e) {
            throw new UserError("model file " + file + " is damaged (" + e.getMessage() + "); train the model again "
                    + "or use another copy of the file", e);
        }
        String json;
        try {
            json = ModelSerializer.getObjectFromFile(file.toFile(), MANIFEST_ENTRY);
        } catch (RuntimeException e) {
            throw new UserError(file + " is not a bn4j inception model (no " + MANIFEST_ENTRY + ")", e);
        }
        RunManifest manifest = Json.MAPPER.readValue(json, RunManifest.class);
        if (manifest.formatVersion() != RunManifest.FORMAT_VERSION) {
            throw new UserError(file + " has manifest format " + manifest.formatVersion()
                    + "; this version reads format " + RunManifest.FORMAT_VERSION);
        }
        try {
            return new SavedModel(ModelSerializer.restoreComputationGraph(file.toFile(), false), manifest);
        } catch (IOException | RuntimeException e) {
            throw new UserError("model file " + file + " is damaged (" + e + "); train the model again or use "
                    + "another copy of the file", e);
        }
    }
}
