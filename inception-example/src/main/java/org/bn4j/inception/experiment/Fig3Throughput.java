package org.bn4j.inception.experiment;

import org.bn4j.inception.data.ImageBatches;
import org.bn4j.inception.data.ImageFolderData;
import org.bn4j.inception.data.LabeledImage;
import org.bn4j.inception.net.Stem;
import org.bn4j.inception.recipe.Recipe;
import org.bn4j.inception.recipe.RecipeCatalog;
import org.bn4j.inception.train.NetworkSettings;
import org.bn4j.parallel.ParallelTrainer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.List;

/**
 * The training and validation throughput of Experiment 2's two kinds of network, for {@code experiment fig3 --plan
 * --measure N}: the BN recipes (measured on {@link Fig3Settings#HEADLINE_RECIPE}) and the recipes without BN
 * (measured on the baseline, {@code inception}, whose biases and GoogLeNet's LRN make its step cost differ). Each is
 * {@value #WARM_UP} warm-up steps, then {@code N} timed steps with the experiment's replicas, then one validation pass.
 *
 * @param batchNorm   the rate of every recipe with BN
 * @param noBatchNorm the rate of every recipe without BN (the baseline and the sigmoid control)
 */
public record Fig3Throughput(Rate batchNorm, Rate noBatchNorm) {

    /** Untimed steps before the timed ones (JIT, workspaces). */
    public static final int WARM_UP = 2;

    /**
     * Images per second of one kind of network.
     *
     * @param trainImagesPerSecond      training images per second (data loading included)
     * @param validationImagesPerSecond validation images per second
     */
    public record Rate(double trainImagesPerSecond, double validationImagesPerSecond) {
    }

    /** The same rate for both kinds (an assumed throughput). */
    public static Fig3Throughput uniform(Rate rate) {
        return new Fig3Throughput(rate, rate);
    }

    /** The rate of {@code recipe}'s kind of network. */
    public Rate of(String recipe) {
        return RecipeCatalog.bundled().get(recipe).batchNorm() ? batchNorm : noBatchNorm;
    }

    /** Measures {@code steps} training steps and one validation of both kinds of network of {@code settings}. */
    public static Fig3Throughput measure(Fig3Settings settings, ImageFolderData data, int steps, int replicas) {
        return new Fig3Throughput(measure(settings, data, steps, replicas, Fig3Settings.HEADLINE_RECIPE),
                measure(settings, data, steps, replicas, settings.baseline()));
    }

    private static Rate measure(Fig3Settings settings, ImageFolderData data, int steps, int replicas,
                                String recipeName) {
        Recipe recipe = RecipeCatalog.bundled().get(recipeName);
        NetworkSettings network = new NetworkSettings(settings.imageSize(), settings.imageSize(),
                data.inputChannels(), settings.widthMultiplier(), Stem.AUTO, settings.convolution());
        int batch = settings.batchSize();
        ComputationGraph graph = network.build(recipe, data.labels().size(),
                Math.max(1, data.train().size() / batch), settings.seed());
        ImageBatches batches = new ImageBatches(network.imageShape(), data.labels());
        List<LabeledImage> images = data.train().subList(0, Math.min(data.train().size(), (WARM_UP + steps) * batch));
        DataSetIterator iterator = batches.iterator(images, batch, null);
        long start = 0;
        int timedImages = 0;
        try (ParallelTrainer parallel = replicas > 1 ? ParallelTrainer.builder(graph).replicas(replicas).build()
                : null) {
            for (int step = 0; iterator.hasNext(); step++) {
                if (step == WARM_UP) {
                    start = System.nanoTime();
                }
                DataSet next = iterator.next();
                if (parallel != null && next.numExamples() >= replicas) {
                    parallel.fit(next);
                } else {
                    graph.fit(next);
                }
                if (step >= WARM_UP) {
                    timedImages += next.numExamples();
                }
            }
        }
        double train = timedImages / Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        long validationStart = System.nanoTime();
        graph.doEvaluation(batches.iterator(data.val(), batch, null), new Evaluation(data.labels(), 1));
        double validation = data.val().size() / Math.max(1e-9, (System.nanoTime() - validationStart) / 1e9);
        return new Rate(train, validation);
    }
}
