package org.bn4j.inception.search;

import org.bn4j.inception.data.ImageShape;
import org.bn4j.inception.net.ConvolutionKind;
import org.bn4j.inception.net.Stem;
import org.bn4j.inception.recipe.Recipe;
import org.bn4j.inception.train.NetworkSettings;
import org.bn4j.inception.train.SavedModel;
import org.bn4j.inception.train.TrainingRun;
import org.bn4j.inception.train.TrainingSettings;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Trains one candidate: the base recipe with the candidate's hyperparameters, a BN-Inception built for it (BN
 * options applied to every BatchNorm layer), through the example's {@link TrainingRun} for a fixed number of epochs
 * and without checkpoints: the candidate's folder keeps the run's {@code metrics.csv}, the trained network is
 * returned.
 *
 * @param baseRecipe the recipe whose other settings (momentum, dropout, shuffling, ...) every candidate keeps
 * @param epochs     epochs per candidate
 * @param stem       network stem
 * @param seed       seed of initialization and shuffling, the same for every candidate
 * @param populationBatches training batches for Algorithm 2 after the last epoch, 0 for the moving averages: the
 *                   statistics the candidate is scored with ({@link TrainingRun.Builder#populationBatches(int)}, as
 *                   in train)
 * @param convolution which convolution layer every candidate's network uses
 * @param replicas   replicas of the network per training step ({@link TrainingRun.Builder#replicas(int)})
 */
public record CandidateTrainer(Recipe baseRecipe, int epochs, Stem stem, long seed, int populationBatches,
                               ConvolutionKind convolution, int replicas) {

    /**
     * Trains {@code candidate} on {@code data}, writing into {@code dir}; the trained network and how it was made.
     * {@code stop} listens to the training: it throws {@link StopSignal.CandidateEnded} from inside it when the loss
     * blows up or the search must stop.
     */
    public SavedModel train(SearchCandidate candidate, SearchData data, Path dir, StopSignal stop) throws IOException {
        Recipe recipe = candidate.recipe(baseRecipe);
        ImageShape shape = data.shape();
        NetworkSettings network = new NetworkSettings(shape.height(), shape.width(), shape.channels(),
                candidate.widthMultiplier(), stem, convolution);
        TrainingSettings settings = new TrainingSettings(epochs, candidate.batchSize(), Integer.MAX_VALUE, dir, seed,
                false);
        TrainingRun.Builder builder = TrainingRun.builder(recipe, network, data.data(), settings)
                .checkpoints(false)
                .populationBatches(populationBatches)
                .replicas(replicas)
                .listener(stop);
        if (candidate.batchNorm()) {
            builder.configuration(conf -> candidate.bn().applyTo(conf));
        }
        return builder.build().run(false).model();
    }
}
