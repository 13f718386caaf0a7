package org.bn4j.inception.search;

import org.bn4j.inception.Csv;
import org.bn4j.inception.Json;
import org.bn4j.inception.Plot;
import org.bn4j.inception.train.SavedModel;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.saving.ResultReference;
import org.deeplearning4j.arbiter.optimize.api.saving.ResultSaver;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.BaseStatusListener;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * What a search produced, in its output folder. As Arbiter's status listener it records every finished candidate:
 * prints its progress line and rewrites {@value #CSV} and {@value #JSON} at once (atomically), so an interrupted
 * search keeps every finished result. As Arbiter's result saver it keeps only the best model so far: when a
 * candidate beats every earlier score, its network goes to {@code best/model.zip} as a {@link SavedModel} (usable by
 * {@code evaluate} and {@code predict}) and its recipe to {@code best/}{@value #RECIPE_FILE}. At the end, {@link
 * #plot} draws the scores against the learning rate.
 */
public final class SearchResults extends BaseStatusListener implements ResultSaver {

    /** One row per candidate. */
    public static final String CSV = "results.csv";
    /** The same records as a JSON array. */
    public static final String JSON = "results.json";
    /** CSV header; the columns of {@link #row}. */
    public static final String HEADER = "index,status,score,seconds,learning_rate,decay_acceleration,l2,batch_size,"
            + "width_multiplier,batch_norm,bn_eps,bn_decay,bn_averaging,bn_learn_gamma_beta,recipe,message";
    /** File name of the best recipe in the best model's folder. */
    public static final String RECIPE_FILE = "recipe.json";
    /** File name of the plot in the output folder. */
    public static final String PLOT_FILE = "score-vs-learning-rate.png";
    private static final Logger log = LoggerFactory.getLogger(SearchResults.class);

    private final Path dir;
    private final Path bestDir;
    private final int plannedCandidates;
    private final PrintStream out;
    private final List<CandidateRecord> records = new ArrayList<>();
    private double bestSaved = Double.NEGATIVE_INFINITY;

    /** Records into {@code dir} (the best model into {@code bestDir}), printing "[k/plannedCandidates]" lines. */
    public SearchResults(Path dir, Path bestDir, int plannedCandidates, PrintStream out) {
        this.dir = dir;
        this.bestDir = bestDir;
        this.plannedCandidates = plannedCandidates;
        this.out = out;
    }

    @Override
    public void onCandidateStatusChange(CandidateInfo info, IOptimizationRunner runner, OptimizationResult result) {
        if (result != null && result.getModelSpecificResults() instanceof CandidateRecord record) {
            add(record);
        }
    }

    /** Adds a finished candidate: progress line, then both result files rewritten. */
    public synchronized void add(CandidateRecord record) {
        records.add(record);
        out.println(progressLine(record));
        try {
            Csv.write(dir.resolve(CSV), List.of(HEADER.split(",")), records.stream().map(SearchResults::row).toList());
            Json.write(dir.resolve(JSON), records);
        } catch (IOException e) {
            log.error("could not write the search results to {}", dir, e);
        }
    }

    /** Saves the model of a candidate that beats every earlier score; returns no reference (it is overwritten). */
    @Override
    public synchronized ResultReference saveModel(OptimizationResult result, Object modelResult) throws IOException {
        Double score = result.getScore();
        if (score == null || !(score > bestSaved)) {
            return null;
        }
        SavedModel trained = (SavedModel) modelResult;
        trained.save(modelFile());
        Json.write(bestDir.resolve(RECIPE_FILE), trained.manifest().recipe());
        bestSaved = score;
        log.info("candidate {} is the best so far (score {}): saved to {}", result.getIndex(), score, modelFile());
        return null;
    }

    /** Where the best model is written. */
    public Path modelFile() {
        return bestDir.resolve(SavedModel.FILE_NAME);
    }

    @Override
    public List<Class<?>> getSupportedCandidateTypes() {
        return List.of(SearchCandidate.class);
    }

    @Override
    public List<Class<?>> getSupportedModelTypes() {
        return List.of(ComputationGraph.class);
    }

    /** Every finished candidate so far, in finishing order. */
    public synchronized List<CandidateRecord> records() {
        return List.copyOf(records);
    }

    /** The completed candidate with the highest score, if any. */
    public synchronized Optional<CandidateRecord> best() {
        return records.stream().filter(CandidateRecord::scored).max(Comparator.comparingDouble(CandidateRecord::score));
    }

    /**
     * Writes {@code dir/}{@value #PLOT_FILE} (PNG): validation accuracy against initial learning rate (log axis), one
     * colour for batch-normalized candidates and one for the baseline, candidates without a score (diverged, failed,
     * stopped) as crosses at 0. Returns the path, or null when no candidate has a configuration to plot.
     */
    public static Path plot(Path dir, List<CandidateRecord> records) throws IOException {
        List<CandidateRecord> plotted = records.stream().filter(r -> r.candidate() != null).toList();
        if (plotted.isEmpty()) {
            return null;
        }
        XYChart chart = Plot.chart("Validation accuracy against initial learning rate", "initial learning rate",
                "validation accuracy", 800, 500);
        chart.getStyler().setXAxisLogarithmic(true);
        // whole decades at both ends, plain decimals: ticks at 0.001, 0.01, 0.1 instead of crowded labels
        double[] rates = plotted.stream().mapToDouble(r -> r.candidate().learningRate()).toArray();
        chart.getStyler().setXAxisMin(Math.pow(10, Math.floor(Math.log10(Arrays.stream(rates).min().orElse(1e-3)))));
        chart.getStyler().setXAxisMax(Math.pow(10, Math.ceil(Math.log10(Arrays.stream(rates).max().orElse(1e-1))
                + 1e-9)));
        chart.getStyler().setXAxisLogarithmicDecadeOnly(true);
        chart.getStyler().setXAxisDecimalPattern("0.######");
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(10);
        addSeries(chart, "BN on", plotted, r -> r.scored() && r.candidate().batchNorm());
        addSeries(chart, "BN off", plotted, r -> r.scored() && !r.candidate().batchNorm());
        XYSeries failed = addSeries(chart, "no score (diverged/failed/stopped)", plotted, r -> !r.scored());
        if (failed != null) {
            failed.setMarker(SeriesMarkers.CROSS);
        }
        Path file = dir.resolve(PLOT_FILE);
        Plot.save(chart, file);
        return file;
    }

    private static XYSeries addSeries(XYChart chart, String name, List<CandidateRecord> records,
                                      Predicate<CandidateRecord> filter) {
        List<CandidateRecord> chosen = records.stream().filter(filter).toList();
        if (chosen.isEmpty()) {
            return null;
        }
        double[] x = chosen.stream().mapToDouble(r -> r.candidate().learningRate()).toArray();
        double[] y = chosen.stream().mapToDouble(r -> r.scored() ? r.score() : 0.0).toArray();
        return chart.addSeries(name, x, y);
    }

    /** The CSV row of one record; empty cells for what it lacks, the message on one line. */
    static List<String> row(CandidateRecord r) {
        SearchCandidate c = r.candidate();
        List<String> row = new ArrayList<>(List.of(Integer.toString(r.index()), r.status().name(),
                r.score() == null ? "" : r.score().toString(), String.format(Locale.ROOT, "%.3f", r.seconds())));
        if (c == null) {
            row.addAll(Collections.nCopies(10, ""));
        } else {
            Stream.of(c.learningRate(), c.decayAcceleration(), c.l2(), c.batchSize(), c.widthMultiplier(),
                    c.batchNorm(), c.bn().eps(), c.bn().decay(), c.bn().averaging(), c.bn().learnGammaBeta())
                    .map(String::valueOf).forEach(row::add);
        }
        row.add(r.recipe() == null ? "" : r.recipe());
        row.add(r.message() == null ? "" : r.message().replace('\n', ' ').replace('\r', ' '));
        return row;
    }

    private String progressLine(CandidateRecord r) {
        String outcome = r.scored() ? String.format(Locale.ROOT, "accuracy %.4f", r.score())
                : r.status() + " (" + r.message() + ")";
        String best = best().map(b -> String.format(Locale.ROOT, "; best %.4f (#%d)", b.score(), b.index()))
                .orElse("");
        return String.format(Locale.ROOT, "[%d/%d] candidate #%d %s in %.1f s: %s%s", records.size(),
                plannedCandidates, r.index(), outcome, r.seconds(),
                r.candidate() == null ? "(no configuration)" : r.candidate().describe(), best);
    }
}
