package org.bn4j.inception.train;

import org.bn4j.inception.UserError;
import org.bn4j.parallel.ParallelTrainer;
import org.bn4j.statistics.PopulationEstimate;
import org.bn4j.statistics.PopulationStatistics;
import org.bn4j.inception.data.ImageBatches;
import org.bn4j.inception.data.ImageFolderData;
import org.bn4j.inception.data.LabeledImage;
import org.bn4j.inception.recipe.Recipe;
import org.deeplearning4j.datasets.iterator.AsyncDataSetIterator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The training loop of Ioffe &amp; Szegedy 2015, §4.2: mini-batch SGD over image folders with the recipe's shuffling,
 * validation accuracy after every epoch, and resumable checkpoints.
 *
 * <p>Each epoch trains on {@link EpochOrder} of the training images; every {@code checkpointEvery} iterations and
 * after every epoch the network, its updater state and the {@link TrainingState} are saved atomically, so a run
 * killed at any point resumes losing at most one interval. Extra {@link TrainingListener}s (e.g. a distribution
 * monitor) are attached to the network and also receive {@code onEpochStart}/{@code onEpochEnd}.
 */
public final class Trainer {

    private static final Logger log = LoggerFactory.getLogger(Trainer.class);

    private final ImageFolderData data;
    private final ImageBatches batches;
    private final Recipe recipe;
    private final TrainingSettings settings;
    private final CheckpointStore checkpoints;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private ProgressReporter progress = ProgressReporter.SILENT;
    private int populationBatches;
    private EpochFitter epochFitter;
    private int replicas = 1;
    private int evaluateEvery;
    private StopRule stopRule = StopRule.NEVER;
    /** The replicas of the running {@link #train}, or null (one replica, or an epoch fitter). */
    private ParallelTrainer parallel;
    private StopRequest stopRequest = new StopRequest();

    /** A trainer for {@code data} (already scanned) converted to the network input by {@code batches}. */
    public Trainer(ImageFolderData data, ImageBatches batches, Recipe recipe, TrainingSettings settings) {
        this.data = data;
        this.batches = batches.checking(data.badFiles());
        this.recipe = recipe;
        this.settings = settings;
        this.checkpoints = new CheckpointStore(settings.outDir());
    }

    /** Adds a listener that sees every iteration and epoch. */
    public Trainer addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /** Where progress is shown. Defaults to {@link ProgressReporter#SILENT}. */
    public Trainer progress(ProgressReporter progress) {
        this.progress = progress;
        return this;
    }

    /**
     * After the last epoch, re-estimate every BN layer's population statistics with the paper's Algorithm 2 from up to
     * {@code maxBatches} training mini-batches (see {@link PopulationStatistics}) before the final validation, instead
     * of keeping the moving averages that followed training. 0 keeps the moving averages. Defaults to 0.
     */
    public Trainer populationBatches(int maxBatches) {
        if (maxBatches < 0) {
            throw new UserError("population batches must be >= 0, got " + maxBatches);
        }
        this.populationBatches = maxBatches;
        return this;
    }

    /** Which population statistics a network trained with {@code populationBatches} ends with, in words. */
    public static String describeFinalStatistics(int populationBatches) {
        return populationBatches > 0
                ? "Algorithm 2 (paper section 3.1) over up to " + populationBatches
                        + " training batches after the last epoch"
                : "the moving averages kept during training";
    }

    /**
     * Fits each epoch with {@code fitter} (e.g. on Spark) instead of batch by batch here; Algorithm 2 then runs
     * through it too. Checkpoints are then written after every epoch only. Defaults to null (this machine).
     */
    public Trainer epochFitter(EpochFitter fitter) {
        this.epochFitter = fitter;
        return this;
    }

    /**
     * Splits every training mini-batch over {@code replicas} replicas of the network on as many threads
     * ({@link ParallelTrainer}, synchronized batch statistics: the same SGD step). 1 = the network's own {@code fit}.
     * Ignored with an {@link #epochFitter}. Defaults to 1.
     */
    public Trainer replicas(int replicas) {
        if (replicas < 1) {
            throw new UserError("replicas must be >= 1, got " + replicas);
        }
        this.replicas = replicas;
        return this;
    }

    /**
     * Where a request to stop comes from (a shutdown hook on Ctrl-C or {@code kill}): at the next mini-batch boundary
     * the trainer saves a checkpoint, marks the request stopped and throws {@link TrainingStopped}. Not checked by an
     * {@link #epochFitter}. Defaults to a request nobody makes.
     */
    public Trainer stopRequest(StopRequest stopRequest) {
        this.stopRequest = stopRequest;
        return this;
    }

    /** Decodes and augments each batch's images on {@code threads} threads ({@link ImageBatches#decodeThreads}). */
    public Trainer decodeThreads(int threads) {
        batches.decodeThreads(threads);
        return this;
    }

    /**
     * Also validates every {@code steps} iterations inside an epoch (each validation is kept in
     * {@link TrainingState#validations()} and checked by the {@link #stopRule}), so that a learning curve is resolved
     * finer than an epoch. 0 = after every epoch only. Ignored with an {@link #epochFitter}. Defaults to 0.
     */
    public Trainer evaluateEvery(int steps) {
        if (steps < 0) {
            throw new UserError("evaluation interval must be >= 0 steps, got " + steps);
        }
        this.evaluateEvery = steps;
        return this;
    }

    /**
     * Ends training before the last epoch when {@code rule} says so after a validation; the run then ends with a
     * checkpoint whose state is {@link TrainingState#stopped()}. Defaults to {@link StopRule#NEVER}.
     */
    public Trainer stopRule(StopRule rule) {
        this.stopRule = rule == null ? StopRule.NEVER : rule;
        return this;
    }

    /** Where this trainer's checkpoints go: {@code checkpoint.zip} in the output folder. */
    public CheckpointStore checkpoints() {
        return checkpoints;
    }

    /** Mini-batches per epoch at the configured batch size. */
    public int iterationsPerEpoch() {
        return (data.train().size() + settings.batchSize() - 1) / settings.batchSize();
    }

    /**
     * Trains {@code network} from {@code state} to the configured number of epochs and returns the final state.
     * Checkpoints are written along the way; the final model is the caller's to save.
     */
    public TrainingState train(ComputationGraph network, TrainingState state) throws IOException {
        network.addListeners(listeners.toArray(new TrainingListener[0]));
        try (ParallelTrainer replicated = epochFitter == null && replicas > 1
                ? ParallelTrainer.builder(network).replicas(replicas).build() : null) {
            parallel = replicated;
            while (state.epoch() < settings.epochs() && !state.stopped()) {
                state = trainEpoch(network, state);
            }
        } finally {
            parallel = null;
            stopRequest.markStopped();
        }
        return state;
    }

    /** Accuracy of {@code network} on the validation images. */
    public double validationAccuracy(ComputationGraph network) {
        return evaluate(network, data.val()).accuracy();
    }

    /** Full evaluation of {@code network} on {@code images}. */
    public Evaluation evaluate(ComputationGraph network, List<LabeledImage> images) {
        DataSetIterator iterator = batches.iterator(images, settings.batchSize(), null);
        Evaluation evaluation = new Evaluation(data.labels(), 1);
        network.doEvaluation(iterator, evaluation);
        return evaluation;
    }

    private TrainingState trainEpoch(ComputationGraph network, TrainingState state) throws IOException {
        int epoch = state.epoch();
        network.getConfiguration().setEpochCount(epoch);
        listeners.forEach(l -> l.onEpochStart(network));
        List<LabeledImage> order = EpochOrder.of(data.train(), recipe.shuffle(), settings.seed(), epoch);
        int skip = Math.min(order.size(), state.batchesDone() * settings.batchSize());
        progress.startEpoch(epoch + 1, settings.epochs(), iterationsPerEpoch(), state.batchesDone());
        if (skip < order.size()) {
            Long augmentSeed = settings.augment() ? settings.seed() * 7919L + epoch * 104_729L + skip : null;
            DataSetIterator iterator = new AsyncDataSetIterator(
                    batches.iterator(order.subList(skip, order.size()), settings.batchSize(), augmentSeed), 2);
            try {
                state = epochFitter == null ? trainBatches(network, iterator, state)
                        : epochFitter.fitEpoch(network, iterator, state, progress);
            } catch (RuntimeException e) {
                throw UnreadableFiles.unwrap(e);        // --strict's error from the prefetch thread, as a UserError
            } finally {
                iterator.reset(); // stops the prefetch thread
            }
        }
        if (state.stopped()) {
            return state;                           // stopped inside the epoch: its checkpoint is written
        }
        if (populationBatches > 0 && epoch + 1 == settings.epochs()) {
            estimatePopulationStatistics(network, order);
        }
        TrainingDiverged.requireFiniteWeights(network, checkpoints.describe()); // before validation can choke on NaN
        double accuracy;
        if (state.validationAt(network.getIterationCount()).isPresent()
                && !(populationBatches > 0 && epoch + 1 == settings.epochs())) {
            accuracy = state.validationAt(network.getIterationCount()).getAsDouble(); // validated at this step
        } else {
            accuracy = validationAccuracy(network);
            state = validated(state, new Validation(network.getIterationCount(), accuracy));
        }
        EpochMetrics metrics = new EpochMetrics(epoch + 1, network.getIterationCount(),
                state.lossSum() / Math.max(1, state.imagesDone()), state.imagesDone() / Math.max(1e-9,
                state.seconds()), accuracy, recipe.learningRateAt(epoch + 1.0), state.seconds());
        listeners.forEach(l -> l.onEpochEnd(network));
        state = state.afterEpoch(metrics);
        if (!state.stopped() && state.epoch() < settings.epochs() && stopRule.stop(state.validations())) {
            state = state.stop();
        }
        progress.endEpoch(metrics);
        UnreadableFiles.report(data.badFiles(), epoch + 1, settings.outDir());
        checkpoints.save(network, state);
        MetricsCsv.write(settings.outDir(), state.history());
        log.info("epoch {} done: {}", epoch + 1, metrics);
        return state;
    }

    private void estimatePopulationStatistics(ComputationGraph network, List<LabeledImage> order) {
        boolean hasBatchNorm = java.util.Arrays.stream(network.getLayers())
                .anyMatch(layer -> layer.conf().getLayer() instanceof org.bn4j.BatchNorm);
        if (!hasBatchNorm) {
            return; // the Inception baseline without BN has no population statistics
        }
        DataSetIterator iterator = batches.iterator(order, settings.batchSize(), null);
        PopulationEstimate estimate = epochFitter == null
                ? PopulationStatistics.estimate(network, iterator, populationBatches,
                        progress.populationStatistics(populationBatches))
                : epochFitter.estimatePopulation(network, iterator, populationBatches);
        log.info("population statistics of {} BN layers re-estimated (Algorithm 2) from {} training batches",
                estimate.layers().size(), estimate.batches());
    }

    private TrainingState trainBatches(ComputationGraph network, DataSetIterator iterator, TrainingState state)
            throws IOException {
        long epochStart = System.nanoTime();
        double secondsBefore = state.seconds();
        long waitedNanos = 0;                      // the step waiting for the prefetch thread: data too slow
        int batches = 0;
        while (true) {
            long asked = System.nanoTime();
            if (!iterator.hasNext()) {
                break;
            }
            DataSet batch = iterator.next();
            if (batches++ > 0) {                   // the first batch always waits: the pipeline fills
                waitedNanos += System.nanoTime() - asked;
            }
            if (parallel != null && batch.numExamples() >= parallel.replicas()) {
                parallel.fit(batch);
            } else {
                network.fit(batch);                 // a last batch smaller than the replica count
            }
            double seconds = secondsBefore + (System.nanoTime() - epochStart) / 1e9;
            TrainingDiverged.requireFiniteLoss(network.score(), network.getIterationCount(),
                    recipe.learningRateAt(state.epoch()), checkpoints.describe());
            state = state.afterBatch(network.score(), batch.numExamples(), seconds - state.seconds());
            progress.batchDone(network.score(), state.imagesDone() / Math.max(1e-9, state.seconds()));
            if (evaluateEvery > 0 && network.getIterationCount() % evaluateEvery == 0) {
                TrainingDiverged.requireFiniteWeights(network, checkpoints.describe());
                state = validated(state, new Validation(network.getIterationCount(), validationAccuracy(network)));
                if (stopRule.stop(state.validations())) {
                    state = state.stop();
                    checkpoints.save(network, state);
                    log.info("stopped at iteration {} by the stop rule", network.getIterationCount());
                    return state;
                }
            }
            boolean stop = stopRequest.reason() != null;
            if (stop || network.getIterationCount() % settings.checkpointEvery() == 0) {
                checkpoints.save(network, state);
            }
            if (stop) {
                throw new TrainingStopped(stopRequest.reason(), network.getIterationCount(), checkpoints);
            }
        }
        double epochSeconds = (System.nanoTime() - epochStart) / 1e9;
        log.info(String.format(Locale.ROOT, "waited %.2f s for data over %d mini-batches after the first (%.1f %% of "
                + "the epoch's %.1f s)", waitedNanos / 1e9, Math.max(0, batches - 1),
                100 * waitedNanos / 1e9 / Math.max(1e-9, epochSeconds), epochSeconds));
        return state;
    }

    private TrainingState validated(TrainingState state, Validation validation) {
        progress.validated(validation);
        return state.plusValidation(validation);
    }
}
