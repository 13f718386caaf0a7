package org.bn4j.inception.search;

import org.bn4j.inception.search.CandidateRecord.Status;
import org.bn4j.inception.train.SavedModel;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.TaskCreator;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.saving.ResultReference;
import org.deeplearning4j.arbiter.optimize.api.saving.ResultSaver;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * One candidate of the search, run by Arbiter's runner: train ({@link CandidateTrainer}), score on the validation
 * images, hand the model to the result saver, tell the status listeners. Never throws: divergence, exceptions and a
 * stop request become a {@link CandidateRecord} with the matching status, so the search goes on. Tasks are made by
 * a {@link Creator}, Arbiter's task creator for the search.
 */
final class CandidateTask implements Callable<OptimizationResult> {

    private static final Logger log = LoggerFactory.getLogger(CandidateTask.class);

    private final Candidate<?> candidate;
    private final SearchData data;
    private final ScoreFunction scoreFunction;
    private final List<StatusListener> listeners;
    private final IOptimizationRunner runner;
    private final Creator creator;

    private CandidateTask(Candidate<?> candidate, SearchData data, ScoreFunction scoreFunction,
                          List<StatusListener> listeners, IOptimizationRunner runner, Creator creator) {
        this.candidate = candidate;
        this.data = data;
        this.scoreFunction = scoreFunction;
        this.listeners = listeners;
        this.runner = runner;
        this.creator = creator;
    }

    /**
     * Arbiter's task creator of the search: each task trains with {@code trainer} in {@code candidatesDir/<index>},
     * obeys {@code stop}, and scores on the {@link SearchData}'s validation images.
     */
    record Creator(CandidateTrainer trainer, Path candidatesDir, StopSignal stop) implements TaskCreator {

        @Override
        public Callable<OptimizationResult> create(Candidate candidate, DataProvider dataProvider,
                                                   ScoreFunction scoreFunction, List<StatusListener> statusListeners,
                                                   IOptimizationRunner runner) {
            if (!(dataProvider instanceof SearchData data)) {
                throw new IllegalArgumentException("the inception search needs its SearchData, got " + dataProvider);
            }
            return new CandidateTask(candidate, data, scoreFunction, statusListeners, runner, this);
        }

        /** Not supported: the search hands Arbiter its {@link SearchData}, scanned once. */
        @Override
        public Callable<OptimizationResult> create(Candidate candidate, Class<? extends DataSource> dataSource,
                                                   Properties dataSourceProperties, ScoreFunction scoreFunction,
                                                   List<StatusListener> statusListeners, IOptimizationRunner runner) {
            throw new UnsupportedOperationException("the inception search takes its SearchData, not a DataSource");
        }
    }

    @Override
    public OptimizationResult call() {
        long startMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        SearchCandidate value = null;
        Status status;
        Double score = null;
        String message = null;
        String stackTrace = null;
        SavedModel trained = null;
        try {
            value = (SearchCandidate) candidate.getValue();
            creator.stop().check();
            log.info("candidate {}: {}", candidate.getIndex(), value.describe());
            trained = creator.trainer().train(value, data,
                    creator.candidatesDir().resolve(String.format("%03d", candidate.getIndex())), creator.stop());
            double s = scoreFunction.score(trained.network(), data, null);
            if (!Double.isFinite(s)) {
                throw new StopSignal.CandidateEnded(Status.DIVERGED, "score is " + s);
            }
            score = s;
            status = Status.COMPLETED;
        } catch (StopSignal.CandidateEnded e) {
            status = e.status();
            message = e.getMessage();
        } catch (Throwable e) {
            log.warn("candidate {} failed", candidate.getIndex(), e);
            status = Status.FAILED;
            message = e.getClass().getSimpleName() + ": " + e.getMessage();
            stackTrace = stackTrace(e);
        } finally {
            Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        CandidateRecord record = new CandidateRecord(candidate.getIndex(), status, score, seconds, value,
                creator.trainer().baseRecipe().name(), message);
        CandidateInfo info = new CandidateInfo(candidate.getIndex(), status.arbiter(), score, startMillis,
                startMillis, System.currentTimeMillis(), candidate.getFlatParameters(),
                stackTrace != null ? stackTrace : message);
        OptimizationResult result = new OptimizationResult(candidate, score, candidate.getIndex(), record, info, null);
        if (status == Status.COMPLETED) {
            result.setResultReference(save(result, trained));
        }
        for (StatusListener listener : listeners) {
            try {
                listener.onCandidateStatusChange(info, runner, result);
            } catch (RuntimeException e) {
                log.error("status listener failed for candidate {}", candidate.getIndex(), e);
            }
        }
        return result;
    }

    private ResultReference save(OptimizationResult result, SavedModel trained) {
        ResultSaver saver = runner.getConfiguration().getResultSaver();
        if (saver == null) {
            return null;
        }
        try {
            return saver.saveModel(result, trained);
        } catch (Exception e) {
            log.error("could not save the model of candidate {}", candidate.getIndex(), e);
            return null;
        }
    }

    private static String stackTrace(Throwable e) {
        StringWriter text = new StringWriter();
        e.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
