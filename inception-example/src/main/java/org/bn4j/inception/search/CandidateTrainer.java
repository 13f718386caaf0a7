package org.bn4j.inception.search;

import org.bn4j.inception.data.ImageShape;
import org.bn4j.inception.net.BnInceptionBuilder;
import org.bn4j.inception.net.Stem;
import org.bn4j.inception.recipe.Recipe;
import org.bn4j.inception.train.CheckpointStore;
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
 */
public record CandidateTrainer(Recipe baseRecipe, int epochs, Stem stem, long seed, int populationBatches) {

    /** A trained candidate and how it was made. */
    public record Trained(ComputationGraph network, RunManifest manifest) {
    }

    /**
     * Trains {@code candidate} on {@code data}, writing into {@code dir}. Throws {@link CandidateDivergedException}
     * or {@link CandidateStoppedException} from inside training when the loss blows up or {@code stop} fires.
     */
    public Trained train(SearchCandidate candidate, ImageFolderDataSource data, Path dir, StopSignal stop)
            throws IOException {
        Files.createDirectories(dir);
        Recipe recipe = candidate.recipe(baseRecipe);
        ImageShape shape = data.shape();
        NetworkSettings network = new NetworkSettings(shape.height(), shape.width(), shape.channels(),
                candidate.widthMultiplier(), stem);
        TrainingSettings settings = new TrainingSettings(epochs, candidate.batchSize(), Integer.MAX_VALUE, dir, seed,
                false);
        Trainer trainer = new Trainer(data.data(), data.batches(), recipe, settings)
                .populationBatches(populationBatches)
                .addListener(new TrainingGuard(stop));
        ComputationGraph graph = build(candidate, recipe, network, data.data().labels().size(),
                trainer.iterationsPerEpoch());
        try {
            trainer.train(graph, TrainingState.fresh());
        } finally {
            Files.deleteIfExists(new CheckpointStore(dir).file());
        }
        RunManifest manifest = new RunManifest(RunManifest.FORMAT_VERSION, recipe, network,
                data.data().provenance(), epochs, candidate.batchSize(), seed, false, trainer.iterationsPerEpoch(),
                Instant.now().toString(), null);
        return new Trained(graph, manifest);
    }

    private ComputationGraph build(SearchCandidate candidate, Recipe recipe, NetworkSettings network, int classes,
                                   int iterationsPerEpoch) {
        BnInceptionBuilder builder = new BnInceptionBuilder()
                .input(network.height(), network.width(), network.channels())
                .numClasses(classes)
                .widthMultiplier(network.widthMultiplier())
                .stem(network.stem())
                .seed(seed);
        ComputationGraphConfiguration conf = recipe.configure(builder, iterationsPerEpoch).buildConfiguration();
        if (candidate.batchNorm()) {
            candidate.bn().applyTo(conf);
        }
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }
}
