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

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training and validation throughput of each recipe of Experiment 2, for {@code experiment fig3 --plan --measure
 * N}: the recipes' networks cost different amounts per step (BN layers; GoogLeNet's LRN and dropout in
 * {@code inception} and {@code bn-baseline}, which make those two the slowest), so each recipe is timed on its own:
 * {@value #WARM_UP} warm-up steps, then {@code N} timed steps with the experiment's replicas, then one validation pass.
 *
 * @param byRecipe the rate of each recipe, by name
 * @param fallback the rate of a recipe that was not measured (an assumed throughput: every recipe)
 */
public record Fig3Throughput(Map<String, Rate> byRecipe, Rate fallback) {

    /** Untimed steps before the timed ones (JIT, workspaces). */
    public static final int WARM_UP = 2;

    /**
     * Copies {@code byRecipe}, keeping its order (the plan lists the rates in it); {@code fallback} may be null when
     * every recipe of the plan is measured.
     */
    public Fig3Throughput {
        byRecipe = Collections.unmodifiableMap(new LinkedHashMap<>(byRecipe));
    }

    /**
     * Images per second of one recipe's network.
     *
     * @param trainImagesPerSecond      training images per second (data loading included)
     * @param validationImagesPerSecond validation images per second
     */
    public record Rate(double trainImagesPerSecond, double validationImagesPerSecond) {
    }

    /** The same rate for every recipe (an assumed throughput). */
    public static Fig3Throughput uniform(Rate rate) {
        return new Fig3Throughput(Map.of(), rate);
    }

    /** The rate of {@code recipe}. */
    public Rate of(String recipe) {
        Rate rate = byRecipe.getOrDefault(recipe, fallback);
        if (rate == null) {
            throw new IllegalArgumentException("no throughput measured for recipe " + recipe + ": " + byRecipe.keySet());
        }
        return rate;
    }

    /** Measures {@code steps} training steps and one validation of the network of every recipe of {@code settings}. */
    public static Fig3Throughput measure(Fig3Settings settings, ImageFolderData data, int steps, int replicas) {
        Map<String, Rate> rates = new LinkedHashMap<>();
        for (String recipe : settings.recipes()) {
            rates.put(recipe, measure(settings, data, steps, replicas, recipe));
        }
        return new Fig3Throughput(rates, null);
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
