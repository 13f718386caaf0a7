package org.bn4j.inception.experiment;

import org.bn4j.inception.UserError;
import java.util.List;

/**
 * Settings of Experiment 2 (Ioffe &amp; Szegedy 2015, §4.2.1, Figures 2 and 3), scaled down to run on a small CPU:
 * every recipe trains the same BN-Inception variant shape on the same images and mini-batch size.
 *
 * @param recipes         recipe names; the first is the baseline whose best accuracy the others must reach
 * @param epochs          passes over the training images per recipe
 * @param batchSize       images per mini-batch
 * @param imageSize       images are resized to {@code imageSize × imageSize}
 * @param widthMultiplier factor on every channel count of the paper's Figure 5
 * @param trainLimit      training images used (0: all)
 * @param valLimit        validation images used (0: all)
 * @param seed            seed of data sampling, shuffling and initialization
 */
public record Fig3Settings(List<String> recipes, int epochs, int batchSize, int imageSize, double widthMultiplier,
                           int trainLimit, int valLimit, long seed) {

    /** The paper's five recipes, the Inception baseline first. */
    public static final List<String> PAPER_RECIPES = List.of("inception", "bn-baseline", "bn-x5", "bn-x30",
            "bn-x5-sigmoid");

    /** Throws IllegalArgumentException naming the first out-of-range value. */
    public Fig3Settings {
        recipes = List.copyOf(recipes);
        if (recipes.isEmpty()) {
            throw new UserError("no recipe to compare");
        }
        if (epochs < 1 || batchSize < 2 || imageSize < 16 || trainLimit < 0 || valLimit < 0) {
            throw new UserError("need epochs >= 1, batch size >= 2, image size >= 16, limits >= 0");
        }
    }

    /**
     * Defaults sized for ≤ ~30 minutes for all five recipes on a 2-core machine shared with other jobs (the
     * default run took 17.6 min: docs/results.md): 28 px grey images (small stem), width 0.125, 4 epochs of 800
     * training images in batches of 32 (100 steps per recipe), 200 validation images.
     */
    public static Fig3Settings defaults() {
        return new Fig3Settings(PAPER_RECIPES, 4, 32, 28, 0.125, 800, 200, 42);
    }

    /** A test-sized run: 2 epochs of 160 images. */
    public static Fig3Settings quick() {
        return new Fig3Settings(PAPER_RECIPES, 2, 32, 28, 0.0625, 160, 60, 42);
    }

    /** The baseline recipe (the first). */
    public String baseline() {
        return recipes.get(0);
    }
}
