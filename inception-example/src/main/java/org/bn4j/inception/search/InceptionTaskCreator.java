package org.bn4j.inception.search;

import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.TaskCreator;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * Arbiter task creator for {@link InceptionSearchSpace} candidates: each task is a {@link CandidateTask} that trains
 * with a {@link CandidateTrainer} in {@code candidatesDir/<index>} and scores on the data source's validation images.
 */
public final class InceptionTaskCreator implements TaskCreator {

    private final CandidateTrainer trainer;
    private final Path candidatesDir;
    private final StopSignal stop;

    /** Tasks that train with {@code trainer} under {@code candidatesDir} and obey {@code stop}. */
    public InceptionTaskCreator(CandidateTrainer trainer, Path candidatesDir, StopSignal stop) {
        this.trainer = trainer;
        this.candidatesDir = candidatesDir;
        this.stop = stop;
    }

    /** Not supported: the search always uses a {@link DataSource} class ({@link ImageFolderDataSource}). */
    @Override
    public Callable<OptimizationResult> create(Candidate candidate, DataProvider dataProvider,
                                               ScoreFunction scoreFunction, List<StatusListener> statusListeners,
                                               IOptimizationRunner runner) {
        throw new UnsupportedOperationException("the inception search takes a DataSource, not a DataProvider");
    }

    @Override
    public Callable<OptimizationResult> create(Candidate candidate, Class<? extends DataSource> dataSource,
                                               Properties dataSourceProperties, ScoreFunction scoreFunction,
                                               List<StatusListener> statusListeners, IOptimizationRunner runner) {
        if (!ImageFolderDataSource.class.isAssignableFrom(dataSource)) {
            throw new IllegalArgumentException("the inception search needs an ImageFolderDataSource, got "
                    + dataSource.getName());
        }
        return new CandidateTask(candidate, dataSourceProperties, scoreFunction, statusListeners, runner, trainer,
                candidatesDir.resolve(String.format("%03d", candidate.getIndex())), stop);
    }
}
