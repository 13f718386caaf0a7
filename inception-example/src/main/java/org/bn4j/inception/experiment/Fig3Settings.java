package org.bn4j.inception.experiment;

import org.bn4j.inception.UserError;
import org.bn4j.inception.net.ConvolutionKind;

import java.util.ArrayList;
import java.util.List;

/**
 * Settings of Experiment 2 (Ioffe &amp; Szegedy 2015, §4.2.1, Figures 2 and 3), scaled down to run on a small CPU:
 * every recipe trains the same BN-Inception variant shape on the same images and mini-batch size, "to convergence"
 * by the rules of {@link ConvergenceRule}.
 *
 * @param recipes         recipe names; the first is the baseline whose best accuracy the others must reach
 * @param seeds           seeds of the baseline and of {@code bn-x5} (the headline ratio); every other recipe runs
 *                        with the first seed only
 * @param batchSize       images per mini-batch
 * @param imageSize       images are resized to {@code imageSize × imageSize}
 * @param widthMultiplier factor on every channel count of the paper's Figure 5
 * @param trainLimit      training images used (0: all)
 * @param valLimit        validation images used (0: all)
 * @param seed            seed of data sampling; the k-th seed (0-based) of shuffling and initialization is
 *                        {@code seed + k}
 * @param convolution     which convolution layer every recipe's network uses
 * @param evaluateEvery   training steps between validations (also between checkpoints)
 * @param patience        validations without a new best accuracy that make a plateau
 * @param maxSteps        step cap of every recipe (a safety net: a recipe stopped by it has not converged)
 * @param controlMaxSteps step cap of the negative control, a recipe without BN other than the baseline
 *                        ({@code inception-sigmoid})
 */
public record Fig3Settings(List<String> recipes, int seeds, int batchSize, int imageSize, double widthMultiplier,
                           int trainLimit, int valLimit, long seed, ConvolutionKind convolution, int evaluateEvery,
                           int patience, int maxSteps, int controlMaxSteps) {

    /** The paper's five recipes, the Inception baseline first, and its negative control last. */
    public static final List<String> PAPER_RECIPES = List.of("inception", "bn-baseline", "bn-x5", "bn-x30",
            "bn-x5-sigmoid", "inception-sigmoid");

    /** The recipe whose steps to the baseline's best make the headline ratio (paper: 31 M / 2.1 M ≈ 14.7). */
    public static final String HEADLINE_RECIPE = "bn-x5";

    /** Throws a {@link UserError} naming the out-of-range values. */
    public Fig3Settings {
        recipes = List.copyOf(recipes);
        if (convolution == null) {
            throw new IllegalArgumentException("no convolution layer chosen");
        }
        if (recipes.isEmpty()) {
            throw new UserError("no recipe to compare");
        }
        if (seeds < 1 || batchSize < 2 || imageSize < 16 || trainLimit < 0 || valLimit < 0) {
            throw new UserError("need seeds >= 1, batch size >= 2, image size >= 16, limits >= 0");
        }
        if (evaluateEvery < 1 || patience < 1 || maxSteps < evaluateEvery || controlMaxSteps < evaluateEvery) {
            throw new UserError("need an evaluation interval >= 1 step, patience >= 1 evaluation and step caps >= "
                    + "the evaluation interval; got every " + evaluateEvery + " steps, patience " + patience
                    + ", caps " + maxSteps + " and " + controlMaxSteps);
        }
    }

    /**
     * Defaults sized for about 2.5 hours of a 2-core machine at ~200 training images/s (docs/results.md has the
     * arithmetic; {@code experiment fig3 --plan} prints it): 6,400 Fashion-MNIST training images at 28 px, width
     * 0.25, batch 64 (100 steps per epoch), validation on 2,000 images every 25 steps (4 per epoch), a plateau after
     * 20 validations (5 epochs) without a new best, two seeds for {@code inception} and {@code bn-x5}, caps of 2,500
     * steps (25 epochs) per recipe and 1,000 for {@code inception-sigmoid}.
     */
    public static Fig3Settings defaults() {
        return new Fig3Settings(PAPER_RECIPES, 2, 64, 28, 0.25, 6400, 2000, 42, ConvolutionKind.FAST, 25, 20, 2500,
                1000);
    }

    /** A test-sized run: one seed, 160 images in batches of 32, a validation every 2 steps, caps of 20 and 10. */
    public static Fig3Settings quick() {
        return new Fig3Settings(PAPER_RECIPES, 1, 32, 28, 0.0625, 160, 60, 42, ConvolutionKind.FAST, 2, 4, 20, 10);
    }

    /** The baseline recipe (the first). */
    public String baseline() {
        return recipes.get(0);
    }

    /** One training run of the experiment: a recipe with one seed. */
    public record Run(String recipe, int seedIndex, long seed) {
        /** Folder name under {@code runs/}: the recipe, with {@code -seed<k>} from the second seed on. */
        public String id() {
            return seedIndex == 0 ? recipe : recipe + "-seed" + (seedIndex + 1);
        }
    }

    /**
     * The runs in the order they train: for each seed, the baseline first (the others need its best accuracy and
     * step count), then with the first seed every other recipe, with later seeds {@link #HEADLINE_RECIPE} only.
     */
    public List<Run> runs() {
        List<Run> runs = new ArrayList<>();
        for (int k = 0; k < seeds; k++) {
            for (String recipe : recipes) {
                if (k == 0 || recipe.equals(baseline()) || recipe.equals(HEADLINE_RECIPE)) {
                    runs.add(new Run(recipe, k, seed + k));
                }
            }
        }
        return runs;
    }
}
