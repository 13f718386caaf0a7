package org.bn4j.inception.recipe;

import org.bn4j.RenormSchedule;
import org.nd4j.linalg.activations.Activation;

/**
 * Values that replace a preset's; a null field keeps the preset's value. Any override renames the recipe to
 * {@code <preset>+overrides} so the saved recipe never claims to be an unmodified preset.
 */
public record RecipeOverrides(Boolean batchNorm, Activation activation, Double learningRate, Double momentum,
                              Double lrDecayRate, Double lrDecayEpochs, Double dropout, Double l2,
                              Boolean localResponseNorm, ShuffleMode shuffle, Boolean batchRenorm,
                              RenormSchedule renormSchedule, Integer ghostBatchSize) {

    /** Overrides of everything but the BatchNorm options (Batch Renormalization, ghost batches). */
    public RecipeOverrides(Boolean batchNorm, Activation activation, Double learningRate, Double momentum,
                           Double lrDecayRate, Double lrDecayEpochs, Double dropout, Double l2,
                           Boolean localResponseNorm, ShuffleMode shuffle) {
        this(batchNorm, activation, learningRate, momentum, lrDecayRate, lrDecayEpochs, dropout, l2,
                localResponseNorm, shuffle, null, null, null);
    }

    /** No override at all. */
    public static RecipeOverrides none() {
        return new RecipeOverrides(null, null, null, null, null, null, null, null, null, null);
    }

    /** These overrides and batch normalization on or off. */
    public RecipeOverrides withBatchNorm(boolean on) {
        return new RecipeOverrides(on, activation, learningRate, momentum, lrDecayRate, lrDecayEpochs, dropout, l2,
                localResponseNorm, shuffle, batchRenorm, renormSchedule, ghostBatchSize);
    }

    /** These overrides and this initial learning rate. */
    public RecipeOverrides withLearningRate(double rate) {
        return new RecipeOverrides(batchNorm, activation, rate, momentum, lrDecayRate, lrDecayEpochs, dropout, l2,
                localResponseNorm, shuffle, batchRenorm, renormSchedule, ghostBatchSize);
    }

    /** These overrides and this many epochs per learning-rate decay step. */
    public RecipeOverrides withLrDecayEpochs(double epochs) {
        return new RecipeOverrides(batchNorm, activation, learningRate, momentum, lrDecayRate, epochs, dropout, l2,
                localResponseNorm, shuffle, batchRenorm, renormSchedule, ghostBatchSize);
    }

    /** These overrides and this L2 weight decay. */
    public RecipeOverrides withL2(double weightDecay) {
        return new RecipeOverrides(batchNorm, activation, learningRate, momentum, lrDecayRate, lrDecayEpochs, dropout,
                weightDecay, localResponseNorm, shuffle, batchRenorm, renormSchedule, ghostBatchSize);
    }

    /** The preset with these overrides applied. */
    public Recipe applyTo(Recipe preset) {
        boolean any = batchNorm != null || activation != null || learningRate != null || momentum != null
                || lrDecayRate != null || lrDecayEpochs != null || dropout != null || l2 != null
                || localResponseNorm != null || shuffle != null || batchRenorm != null || renormSchedule != null
                || ghostBatchSize != null;
        if (!any) {
            return preset;
        }
        return new Recipe(preset.name() + "+overrides", preset.description() + " (with command-line overrides)",
                pick(batchNorm, preset.batchNorm()), pick(activation, preset.activation()),
                pick(learningRate, preset.learningRate()), pick(momentum, preset.momentum()),
                pick(lrDecayRate, preset.lrDecayRate()), pick(lrDecayEpochs, preset.lrDecayEpochs()),
                pick(dropout, preset.dropout()), pick(l2, preset.l2()),
                pick(localResponseNorm, preset.localResponseNorm()), pick(shuffle, preset.shuffle()),
                BatchNormOptions.of(pick(batchRenorm, preset.bnOptions().batchRenorm()),
                        pick(renormSchedule, preset.bnOptions().schedule()),
                        pick(ghostBatchSize, preset.bnOptions().ghostBatchSize())));
    }

    private static <T> T pick(T override, T preset) {
        return override != null ? override : preset;
    }
}
