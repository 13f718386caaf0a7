package org.bn4j.inception.search;

import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
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
 * One candidate of the search, run by Arbiter's runner: train, score, hand the model to the result saver, tell the
 * status listeners. Never throws: divergence, exceptions and a stop request become a {@link CandidateRecord} with
 * the matching {@link CandidateStatus} (Arbiter status Failed or Cancelled), so the search goes on.
 */
final class CandidateTask implements Callable<OptimizationResult> {

    private static final Logger log = LoggerFactory.getLogger(CandidateTask.class);

    private final Candidate<?> candidate;
    private final Properties dataProperties;
    private final ScoreFunction scoreFunction;
    private final List<StatusListener> listeners;
    private final IOptimizationRunner runner;
    private final CandidateTrainer trainer;
    private final Path dir;
    private final StopSignal stop;

    CandidateTask(Candidate<?> candidate, Properties dataProperties, ScoreFunction scoreFunction,
                  List<StatusListener> listeners, IOptimizationRunner runner, CandidateTrainer trainer, Path dir,
                  StopSignal stop) {
        this.candidate = candidate;
        this.dataProperties = dataProperties;
        this.scoreFunction = scoreFunction;
        this.listeners = listeners;
        this.runner = runner;
        this.trainer = trainer;
        this.dir = dir;
        this.stop = stop;
    }

    @Override
    public OptimizationResult call() {
        long startMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        SearchCandidate value = null;
        CandidateStatus status;
        Double score = null;
        String message = null;
        String stackTrace = null;
        CandidateTrainer.Trained trained = null;
        try {
            value = (SearchCandidate) candidate.getValue();
            if (stop.stopped()) {
                throw new CandidateStoppedException(stop.reason());
            }
            log.info("candidate {}: {}", candidate.getIndex(), value.describe());
            trained = trainer.train(value, ImageFolderDataSource.open(dataProperties), dir, stop);
            double s = scoreFunction.score(trained.network(), ImageFolderDataSource.class, dataProperties);
            if (!Double.isFinite(s)) {
                throw new CandidateDivergedException("score is " + s);
            }
            score = s;
            status = CandidateStatus.COMPLETED;
        } catch (CandidateDivergedException e) {
            status = CandidateStatus.DIVERGED;
            message = e.getMessage();
        } catch (CandidateStoppedException e) {
            status = CandidateStatus.STOPPED;
            message = e.getMessage();
        } catch (Throwable e) {
            log.warn("candidate {} failed", candidate.getIndex(), e);
            status = CandidateStatus.FAILED;
            message = e.getClass().getSimpleName() + ": " + e.getMessage();
            stackTrace = stackTrace(e);
        } finally {
            Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        CandidateRecord record = new CandidateRecord(candidate.getIndex(), status, score, seconds, value,
                trainer.baseRecipe().name(), message);
        CandidateInfo info = new CandidateInfo(candidate.getIndex(), arbiterStatus(status), score, startMillis,
                startMillis, System.currentTimeMillis(), candidate.getFlatParameters(),
                stackTrace != null ? stackTrace : message);
        OptimizationResult result = new OptimizationResult(candidate, score, candidate.getIndex(), record, info, null);
        if (status == CandidateStatus.COMPLETED) {
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

    private ResultReference save(OptimizationResult result, CandidateTrainer.Trained trained) {
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

    private static org.deeplearning4j.arbiter.optimize.runner.CandidateStatus arbiterStatus(CandidateStatus status) {
        return switch (status) {
            case COMPLETED -> org.deeplearning4j.arbiter.optimize.runner.CandidateStatus.Complete;
            case STOPPED -> org.deeplearning4j.arbiter.optimize.runner.CandidateStatus.Cancelled;
            case DIVERGED, FAILED -> org.deeplearning4j.arbiter.optimize.runner.CandidateStatus.Failed;
        };
    }

    private static String stackTrace(Throwable e) {
        StringWriter text = new StringWriter();
        e.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
