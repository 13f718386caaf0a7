package org.bn4j.inception.cli;

import org.bn4j.inception.recipe.Recipe;
import org.bn4j.inception.recipe.RecipeCatalog;
import org.bn4j.inception.search.CandidateRecord;
import org.bn4j.inception.search.CandidateTrainer;
import org.bn4j.inception.search.InceptionSearch;
import org.bn4j.inception.search.InceptionSearchSpace;
import org.bn4j.inception.search.SearchCandidate;
import org.bn4j.inception.search.SearchData;
import org.bn4j.inception.search.SearchFolder;
import org.bn4j.inception.search.SearchResults;
import org.bn4j.inception.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code search}: hyperparameter search over the BN-Inception recipe with Arbiter. Prints a line per candidate, saves
 * every candidate's configuration, score, time and status (CSV and JSON), plots score against learning rate, keeps
 * the best model and prints its recipe. Ctrl-C stops the running candidate and keeps every finished result.
 */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Hyperparameter search (Arbiter) over learning rate, decay, L2, batch size, width and BN.")
public class SearchCommand implements Callable<Integer> {

    /** Seconds a Ctrl-C waits for the search to record the stopped candidate and write the plot. */
    private static final long SHUTDOWN_WAIT_SECONDS = 60;

    @Mixin
    SearchSpaceOptions spaceOptions;

    @Mixin
    DataOptionsMixin dataOptions;

    @Mixin
    ReplicasOption replicas;

    @Mixin
    FinalStatisticsMixin finalStatistics;

    @Mixin
    InputShapeMixin inputShape;

    @Mixin
    ConvolutionOption convolution;

    @Option(names = "--recipe", defaultValue = "bn-x5",
            description = "Base recipe whose other settings every candidate keeps (default: ${DEFAULT-VALUE}).")
    String recipeName;

    @Option(names = "--epochs", defaultValue = "1", description = "Epochs per candidate (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--method", defaultValue = "RANDOM", description = "RANDOM or GRID (default: ${DEFAULT-VALUE}).")
    InceptionSearch.Method method;

    @Option(names = "--grid-points", defaultValue = "3",
            description = "Grid search: points per range (default: ${DEFAULT-VALUE}).")
    int gridPoints;

    @Option(names = "--candidates", defaultValue = "10", paramLabel = "N",
            description = "Number of candidates (default: ${DEFAULT-VALUE}).")
    int candidates;

    @Option(names = "--max-minutes", defaultValue = "60", paramLabel = "M",
            description = "Wall-time limit of the whole search; 0 = none (default: ${DEFAULT-VALUE}).")
    double maxMinutes;

    @Option(names = "--out", defaultValue = "runs/search", paramLabel = "DIR",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of sampling, data and weights "
            + "(default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-interrupt-hook", hidden = true,
            description = "Do not install the Ctrl-C handler (for embedding and tests).")
    boolean noInterruptHook;

    @Override
    public Integer call() throws Exception {
        PrintStream console = System.out;
        long start = System.nanoTime();
        SearchFolder.requireNewOrEmpty(out);
        Recipe base = RecipeCatalog.bundled().get(recipeName);
        InceptionSearchSpace space = spaceOptions.space();
        DataOptionsMixin.Resolved resolved = dataOptions.resolve(seed, console);
        SearchData opened = new SearchData(resolved.options(), resolved.source(), inputShape.imageSize(),
                inputShape.imageSize(), inputShape.channels(), 64); // scan once, fail early
        console.printf(Locale.ROOT, "data: %d classes, %d training and %d validation images, input %dx%dx%d%n",
                opened.data().labels().size(), opened.data().train().size(), opened.data().val().size(),
                opened.shape().height(), opened.shape().width(), opened.shape().channels());
        console.println("base " + base.describe());
        console.println("space: " + space);

        CandidateTrainer trainer = new CandidateTrainer(base, epochs, inputShape.stem(), seed,
                finalStatistics.populationBatches(), convolution.convolution(), replicas.replicas());
        console.println("final statistics of every candidate (as in train): "
                + TrainingRun.describeFinalStatistics(finalStatistics.populationBatches()));
        InceptionSearch search = new InceptionSearch(space, trainer, opened,
                new InceptionSearch.Settings(method, candidates, maxMinutes, gridPoints, out, seed));
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            search.requestStop("interrupted");
            try {
                finished.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "search-interrupt");
        if (!noInterruptHook) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        InceptionSearch.Outcome outcome;
        try {
            outcome = search.run(console);
        } finally {
            finished.countDown();
        }
        if (!noInterruptHook && outcome.stopReason() == null) {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        report(console, outcome, base, (System.nanoTime() - start) / 60e9);
        return 0;
    }

    private void report(PrintStream console, InceptionSearch.Outcome outcome, Recipe base, double minutes) {
        long completed = outcome.records().stream().filter(CandidateRecord::scored).count();
        console.printf(Locale.ROOT, "search done: %d candidates, %d completed%s, wall time %.1f min%n",
                outcome.records().size(), completed,
                outcome.stopReason() == null ? "" : ", stopped: " + outcome.stopReason(), minutes);
        console.println("results: " + out.resolve(SearchResults.CSV) + ", " + out.resolve(SearchResults.JSON)
                + (outcome.plot() == null ? "" : ", plot " + outcome.plot()));
        if (outcome.best().isEmpty()) {
            console.println("no candidate completed: no best model");
            return;
        }
        CandidateRecord best = outcome.best().get();
        SearchCandidate c = best.candidate();
        console.printf(Locale.ROOT, "best: candidate #%d, validation accuracy %.4f, model %s%n", best.index(),
                best.score(), outcome.bestModel());
        console.println("best " + c.recipe(base).describe());
        console.printf(Locale.ROOT, "  batch size %d, width %s, BatchNorm %s%n", c.batchSize(), c.widthMultiplier(),
                c.batchNorm() ? c.bn().describe() : "off");
    }
}
