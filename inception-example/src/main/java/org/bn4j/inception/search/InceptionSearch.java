package org.bn4j.inception.search;

import org.bn4j.inception.Json;
import org.bn4j.inception.UserError;
import org.bn4j.inception.train.TrainingRun;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxCandidatesCondition;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.deeplearning4j.arbiter.scoring.impl.EvaluationScoreFunction;
import org.nd4j.evaluation.classification.Evaluation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A hyperparameter search over the BN-Inception recipe with Arbiter: candidates from an {@link InceptionSearchSpace}
 * (random or grid), data from a {@link SearchData}, score = validation accuracy (Arbiter's {@link
 * EvaluationScoreFunction}), termination by candidate count or wall time ({@link StopSignal}). One candidate trains
 * at a time. The output folder receives {@code search.json} (the settings), the {@link SearchResults} files after
 * every candidate, their plot at the end and the best model in {@code best/}.
 */
public final class InceptionSearch {

    /** Sub-folder of the best model. */
    public static final String BEST_DIR = "best";
    /** Sub-folder of the per-candidate training folders. */
    public static final String CANDIDATES_DIR = "candidates";
    private static final Logger log = LoggerFactory.getLogger(InceptionSearch.class);

    private final InceptionSearchSpace space;
    private final CandidateTrainer trainer;
    private final SearchData data;
    private final Settings settings;
    private final StopSignal stop;

    /** A search of {@code space}, training with {@code trainer} on {@code data}. */
    public InceptionSearch(InceptionSearchSpace space, CandidateTrainer trainer, SearchData data, Settings settings) {
        this.space = space;
        this.trainer = trainer;
        this.data = data;
        this.settings = settings;
        this.stop = new StopSignal(settings.maxMinutes());
    }

    /** How candidates are drawn from the search space. */
    public enum Method {
        /** Independent random samples (log-uniform ranges sampled on a log scale). */
        RANDOM,
        /** Every combination of a grid: each range cut into the configured number of points, choices as they are. */
        GRID
    }

    /**
     * How long and how a search runs.
     *
     * @param method     random or grid search
     * @param candidates stop after this many candidates (a grid may hold fewer)
     * @param maxMinutes stop after this wall time, the running candidate included ({@code <= 0}: no limit)
     * @param gridPoints points per continuous range in grid search
     * @param outDir     where results, plot and best model go
     * @param seed       seed of the random search
     */
    public record Settings(Method method, int candidates, double maxMinutes, int gridPoints, Path outDir, long seed) {

        /** A {@link UserError} for a non-positive count. */
        public Settings {
            if (candidates <= 0) {
                throw new UserError("the number of candidates must be > 0, got " + candidates);
            }
            if (gridPoints < 1) {
                throw new UserError("grid points must be >= 1, got " + gridPoints);
            }
        }
    }

    /** What a search produced. */
    public record Outcome(List<CandidateRecord> records, Optional<CandidateRecord> best, Path bestModel,
                          Path plot, String stopReason) {
    }

    /** Asks the search to stop: the running candidate ends as STOPPED, finished results stay. */
    public void requestStop(String reason) {
        stop.requestStop(reason);
    }

    /** Runs the search to its end and returns the recorded candidates; progress lines go to {@code out}. */
    public Outcome run(PrintStream out) throws IOException {
        Path dir = settings.outDir();
        Files.createDirectories(dir);
        CandidateGenerator generator = generator();
        int planned = plannedCandidates(generator);
        writeManifest(dir, planned);
        SearchResults results = new SearchResults(dir, dir.resolve(BEST_DIR), planned, out);
        OptimizationConfiguration config = new OptimizationConfiguration.Builder()
                .candidateGenerator(generator)
                .dataProvider(data)
                .scoreFunction(new EvaluationScoreFunction(Evaluation.Metric.ACCURACY))
                .modelSaver(results)
                .terminationConditions(new MaxCandidatesCondition(planned), stop)
                .build();
        LocalOptimizationRunner runner = new LocalOptimizationRunner(config,
                new CandidateTask.Creator(trainer, dir.resolve(CANDIDATES_DIR), stop));
        runner.addListeners(results);
        out.printf("search: %s, up to %d candidates%s, results in %s%n", settings.method(), planned,
                settings.maxMinutes() > 0 ? " or " + settings.maxMinutes() + " min" : "", dir.toAbsolutePath());
        try {
            runner.execute();
        } finally {
            runner.shutdown(false);
        }
        List<CandidateRecord> records = results.records();
        Path plot = SearchResults.plot(dir, records);
        Optional<CandidateRecord> best = results.best();
        log.info("search finished: {} candidates, best {}", records.size(), best.map(CandidateRecord::score));
        return new Outcome(records, best, best.isPresent() ? results.modelFile() : null, plot, stop.reason());
    }

    private CandidateGenerator generator() {
        if (settings.method() == Method.GRID) {
            return new GridSearchCandidateGenerator(space, settings.gridPoints(),
                    GridSearchCandidateGenerator.Mode.Sequential, null);
        }
        RandomSearchGenerator random = new RandomSearchGenerator(space);
        random.setRngSeed(settings.seed());
        return random;
    }

    /** The candidate count, capped by the grid's size: Arbiter's runner would wait forever for more. */
    private int plannedCandidates(CandidateGenerator generator) {
        if (generator instanceof GridSearchCandidateGenerator grid) {
            return Math.min(settings.candidates(), grid.getTotalNumCandidates());
        }
        return settings.candidates();
    }

    private void writeManifest(Path dir, int planned) throws IOException {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("method", settings.method());
        manifest.put("plannedCandidates", planned);
        manifest.put("maxMinutes", settings.maxMinutes());
        manifest.put("gridPoints", settings.gridPoints());
        manifest.put("seed", settings.seed());
        manifest.put("baseRecipe", trainer.baseRecipe());
        manifest.put("epochsPerCandidate", trainer.epochs());
        manifest.put("finalStatistics", TrainingRun.describeFinalStatistics(trainer.populationBatches()));
        manifest.put("space", space.toString());
        manifest.put("data", data.describe());
        manifest.put("score", "validation accuracy");
        Json.write(dir.resolve("search.json"), manifest);
    }
}
