package org.bn4j.inception.search;

import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.BaseStatusListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Arbiter status listener that records every finished candidate: prints its progress line and rewrites {@link
 * ResultFiles} (CSV and JSON) at once, so an interrupted search keeps every finished result.
 */
public final class SearchResults extends BaseStatusListener {

    private static final Logger log = LoggerFactory.getLogger(SearchResults.class);

    private final Path dir;
    private final int plannedCandidates;
    private final PrintStream out;
    private final List<CandidateRecord> records = new ArrayList<>();

    /** Records into {@code dir}, printing to {@code out} progress lines "[k/plannedCandidates]". */
    public SearchResults(Path dir, int plannedCandidates, PrintStream out) {
        this.dir = dir;
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
            ResultFiles.write(dir, records);
        } catch (IOException e) {
            log.error("could not write the search results to {}", dir, e);
        }
    }

    /** Every finished candidate so far, in finishing order. */
    public synchronized List<CandidateRecord> records() {
        return List.copyOf(records);
    }

    /** The completed candidate with the highest score, if any. */
    public synchronized Optional<CandidateRecord> best() {
        return records.stream().filter(CandidateRecord::scored).max(Comparator.comparingDouble(CandidateRecord::score));
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
