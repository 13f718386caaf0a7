package org.bn4j.inception.recipe;

import org.nd4j.linalg.activations.Activation;

/**
 * Values that replace a preset's; a null field keeps the preset's value. Any override renames the recipe to
 * {@code <preset>+overrides} so the saved recipe never claims to be an unmodified preset.
 */
public record RecipeOverrides(Boolean batchNorm, Activation activation, Double learningRate, Double momentum,
                              Double lrDecayRate, Double lrDecayEpochs, Double dropout, Double l2,
                              Boolean localResponseNorm, ShuffleMode shuffle) {

    /** No override at all. */
    public static RecipeOverrides none() {
        return new RecipeOverrides(null, null, null, null, null, null, null, null, null, null);
    }

    /** The preset with these overrides applied. */
    public Recipe applyTo(Recipe preset) {
        boolean any = batchNorm != null || activation != null || learningRate != null || momentum != null
                || lrDecayRate != null || lrDecayEpochs != null || dropout != null || l2 != null
                || localResponseNorm != null || shuffle != null;
        if (!any) {
            return preset;
        }
        return new Recipe(preset.name() + "+overrides", preset.description() + " (with command-line overrides)",
                pick(batchNorm, preset.batchNorm()), pick(activation, preset.activation()),
                pick(learningRate, preset.learningRate()), pick(momentum, preset.momentum()),
                pick(lrDecayRate, preset.lrDecayRate()), pick(lrDecayEpochs, preset.lrDecayEpochs()),
                pick(dropout, preset.dropout()), pick(l2, preset.l2()),
                pick(localResponseNorm, preset.localResponseNorm()), pick(shuffle, preset.shuffle()));
    }

    private static <T> T pick(T override, T preset) {
        return override != null ? override : preset;
    }
}
