package org.bn4j.inception.train;

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
import java.util.List;
import java.util.Locale;

/**
 * The training loop of Ioffe &amp; Szegedy 2015, §4.2: mini-batch SGD over image folders with the recipe's shuffling,
 * validation accuracy after every epoch, and resumable checkpoints. Configured by a {@link TrainingRun.Builder} (see
 * its setters for every option and its default) and driven by its {@link TrainingRun}.
 *
 * <p>Each epoch trains on {@link EpochOrder} of the training images; every {@code checkpointEvery} iterations and
 * after every epoch the network, its updater state and the {@link TrainingState} are saved atomically (unless
 * checkpoints are off), so a run killed at any point resumes losing at most one interval. The listeners are attached
 * to the network and also receive {@code onEpochStart}/{@code onEpochEnd}.
 */
final class Trainer {

    private static final Logger log = LoggerFactory.getLogger(Trainer.class);

    private final ImageFolderData data;
    private final ImageBatches batches;
    private final Recipe recipe;
    private final TrainingSettings settings;
    private final CheckpointStore checkpoints;
    private final boolean checkpointing;
    private final List<TrainingListener> listeners;
    private final ProgressReporter progress;
    private final int populationBatches;
    private final EpochFitter epochFitter;
    private final int replicas;
    private final int evaluateEvery;
    private final StopRule stopRule;
    private final StopRequest stopRequest;
    /** The replicas of the running {@link #train}, or null (one replica, or an epoch fitter). */
    private ParallelTrainer parallel;

    /** A trainer as {@code options} say, for the data, network input and settings they name. */
    Trainer(TrainingRun.Builder options) {
        this.data = options.data;
        this.batches = new ImageBatches(options.network.imageShape(), data.labels(), options.preprocessing)
                .checking(data.badFiles())
                .decodeThreads(options.decodeThreads);
        this.recipe = options.recipe;
        this.settings = options.settings;
        this.checkpoints = new CheckpointStore(settings.outDir());
        this.checkpointing = options.checkpoints;
        this.listeners = List.copyOf(options.listeners);
        this.progress = options.progress;
        this.populationBatches = options.populationBatches;
        this.epochFitter = options.epochFitter;
        this.replicas = options.replicas;
        this.evaluateEvery = options.evaluateEvery;
        this.stopRule = options.stopRule;
        this.stopRequest = options.stopRequest;
    }

    /** Where this trainer's checkpoints go: {@code checkpoint.zip} in the output folder. */
    CheckpointStore checkpoints() {
        return checkpoints;
    }

    /** Mini-batches per epoch at the configured batch size. */
    int iterationsPerEpoch() {
        return (data.train().size() + settings.batchSize() - 1) / settings.batchSize();
    }

    /**
     * Trains {@code network} from {@code state} to the configured number of epochs and returns the final state.
     * Checkpoints are written along the way; the final model is the caller's to save.
     */
    TrainingState train(ComputationGraph network, TrainingState state) throws IOException {
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
    private double validationAccuracy(ComputationGraph network) {
        DataSetIterator iterator = batches.iterator(data.val(), settings.batchSize(), null);
        Evaluation evaluation = new Evaluation(data.labels(), 1);
        network.doEvaluation(iterator, evaluation);
        return evaluation.accuracy();
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
        checkpoint(network, state);
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
                    checkpoint(network, state);
                    log.info("stopped at iteration {} by the stop rule", network.getIterationCount());
                    return state;
                }
            }
            boolean stop = stopRequest.reason() != null;
            if (stop || network.getIterationCount() % settings.checkpointEvery() == 0) {
                checkpoint(network, state);
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

    /** Saves a checkpoint, unless checkpoints are off. */
    private void checkpoint(ComputationGraph network, TrainingState state) throws IOException {
        if (checkpointing) {
            checkpoints.save(network, state);
        }
    }

    private TrainingState validated(TrainingState state, Validation validation) {
        progress.validated(validation);
        return state.plusValidation(validation);
    }
}
