package org.bn4j.inception.search;

import org.bn4j.inception.Json;
import org.bn4j.inception.train.SavedModel;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.saving.ResultReference;
import org.deeplearning4j.arbiter.optimize.api.saving.ResultSaver;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Arbiter result saver that keeps only the best model so far: when a candidate beats every earlier score (higher
 * validation accuracy), its network is written to {@code dir/model.zip} as a {@link SavedModel} (usable by the
 * {@code evaluate} and {@code predict} commands) and its recipe to {@code dir/recipe.json}, both atomically. Returns
 * no {@link ResultReference}: earlier bests are overwritten.
 */
public final class BestModelSaver implements ResultSaver {

    /** File name of the best recipe inside the folder. */
    public static final String RECIPE_FILE = "recipe.json";
    private static final Logger log = LoggerFactory.getLogger(BestModelSaver.class);

    private final Path dir;
    private double bestScore = Double.NEGATIVE_INFINITY;
    private int bestIndex = -1;

    /** Saves the best model into {@code dir}. */
    public BestModelSaver(Path dir) {
        this.dir = dir;
    }

    @Override
    public synchronized ResultReference saveModel(OptimizationResult result, Object modelResult) throws IOException {
        Double score = result.getScore();
        if (score == null || !(score > bestScore)) {
            return null;
        }
        CandidateTrainer.Trained trained = (CandidateTrainer.Trained) modelResult;
        new SavedModel(trained.network(), trained.manifest()).save(modelFile());
        Json.write(dir.resolve(RECIPE_FILE), trained.manifest().recipe());
        bestScore = score;
        bestIndex = result.getIndex();
        log.info("candidate {} is the best so far (score {}): saved to {}", bestIndex, score, modelFile());
        return null;
    }

    /** Where the best model is written. */
    public Path modelFile() {
        return dir.resolve(SavedModel.FILE_NAME);
    }

    /** Index of the candidate saved, or -1 if none yet. */
    public synchronized int bestIndex() {
        return bestIndex;
    }

    @Override
    public List<Class<?>> getSupportedCandidateTypes() {
        return List.of(SearchCandidate.class);
    }

    @Override
    public List<Class<?>> getSupportedModelTypes() {
        return List.of(ComputationGraph.class);
    }
}
