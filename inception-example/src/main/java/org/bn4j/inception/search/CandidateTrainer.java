package org.bn4j.inception.search;

import org.bn4j.inception.data.ImageShape;
import org.bn4j.inception.net.ConvolutionKind;
import org.bn4j.inception.net.Stem;
import org.bn4j.inception.recipe.Recipe;
import org.bn4j.inception.train.NetworkSettings;
import org.bn4j.inception.train.RunManifest;
import org.bn4j.inception.train.Trainer;
import org.bn4j.inception.train.TrainingSettings;
import org.bn4j.inception.train.TrainingState;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Trains one candidate: the base recipe with the candidate's hyperparameters, a BN-Inception built for it (BN
 * options applied to every BatchNorm layer), and the example's {@link Trainer} for a fixed number of epochs. The
 * candidate's folder keeps the trainer's {@code metrics.csv}; its checkpoint is deleted at the end.
 *
 * @param baseRecipe the recipe whose other settings (momentum, dropout, shuffling, ...) every candidate keeps
 * @param epochs     epochs per candidate
 * @param stem       network stem
 * @param seed       seed of initialization and shuffling, the same for every candidate
 * @param populationBatches training batches for Algorithm 2 after the last epoch, 0 for the moving averages: the
 *                   statistics the candidate is scored with ({@link Trainer#populationBatches(int)}, as in train)
 * @param convolution which convolution layer every candidate's network uses
 */
public record CandidateTrainer(Recipe baseRecipe, int epochs, Stem stem, long seed, int populationBatches,
                               ConvolutionKind convolution, int replicas) {

    /** A trainer whose candidates train with the network's own fit on one thread. */
    public CandidateTrainer(Recipe baseRecipe, int epochs, Stem stem, long seed, int populationBatches,
                            ConvolutionKind convolution) {
        this(baseRecipe, epochs, stem, seed, populationBatches, convolution, 1);
    }

    /** A trainer whose candidates use bn4j's fast convolution. */
    public CandidateTrainer(Recipe baseRecipe, int epochs, Stem stem, long seed, int populationBatches) {
        this(baseRecipe, epochs, stem, seed, populationBatches, ConvolutionKind.FAST, 1);
    }

    /** A trained candidate and how it was made. */
    public record Trained(ComputationGraph network, RunManifest manifest) {
    }

    /**
     * Trains {@code candidate} on {@code data}, writing into {@code dir}. {@code stop} listens to the training: it
     * throws {@link StopSignal.CandidateEnded} from inside it when the loss blows up or the search must stop.
     */
    public Trained train(SearchCandidate candidate, SearchData data, Path dir, StopSignal stop) throws IOException {
        Files.createDirectories(dir);
        Recipe recipe = candidate.recipe(baseRecipe);
        ImageShape shape = data.shape();
        NetworkSettings network = new NetworkSettings(shape.height(), shape.width(), shape.channels(),
                candidate.widthMultiplier(), stem, convolution);
        TrainingSettings settings = new TrainingSettings(epochs, candidate.batchSize(), Integer.MAX_VALUE, dir, seed,
                false);
        Trainer trainer = new Trainer(data.data(), data.batches(), recipe, settings)
                .populationBatches(populationBatches)
                .replicas(replicas)
                .addListener(stop);
        ComputationGraphConfiguration conf = network.configuration(recipe, data.data().labels().size(),
                trainer.iterationsPerEpoch(), seed);
        if (candidate.batchNorm()) {
            candidate.bn().applyTo(conf);
        }
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        try {
            trainer.train(graph, TrainingState.fresh());
        } finally {
            Files.deleteIfExists(trainer.checkpoints().file());
        }
        RunManifest manifest = new RunManifest(RunManifest.FORMAT_VERSION, recipe, network,
                data.data().provenance(), epochs, candidate.batchSize(), seed, false, trainer.iterationsPerEpoch(),
                Instant.now().toString(), null, null);
        return new Trained(graph, manifest);
    }
}
