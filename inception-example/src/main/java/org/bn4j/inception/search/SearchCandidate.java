package org.bn4j.inception.search;

import org.bn4j.inception.recipe.Recipe;
import org.bn4j.inception.recipe.RecipeOverrides;

import java.io.Serializable;
import java.util.Locale;

/**
 * The hyperparameters of one candidate of a search; the rest of the recipe comes from the search's base recipe.
 * Serializable, as Arbiter hands candidates around in serialized form.
 *
 * @param learningRate      initial learning rate
 * @param decayAcceleration how much faster than GoogLeNet's schedule the learning rate decays: by the recipe's decay
 *                          rate every {@code 8 / decayAcceleration} epochs (1: GoogLeNet, 6: the paper's BN-x5)
 * @param l2                L2 weight decay
 * @param batchSize         images per mini-batch
 * @param widthMultiplier   factor on every channel count of the network
 * @param batchNorm         batch-normalized network (true) or the Inception baseline (false)
 * @param bn                options of every BatchNorm layer (unused without batch normalization)
 */
public record SearchCandidate(double learningRate, double decayAcceleration, double l2, int batchSize,
                              double widthMultiplier, boolean batchNorm, BatchNormSettings bn)
        implements Serializable {

    /** Epochs per learning-rate decay step of GoogLeNet's schedule ("4% every 8 epochs"). */
    public static final double GOOGLENET_DECAY_EPOCHS = 8.0;

    /** Throws IllegalArgumentException for a value no training run could use. */
    public SearchCandidate {
        if (!(learningRate > 0) || !(decayAcceleration > 0) || l2 < 0 || batchSize <= 0 || !(widthMultiplier > 0)) {
            throw new IllegalArgumentException("invalid candidate: " + describe(learningRate, decayAcceleration, l2,
                    batchSize, widthMultiplier, batchNorm));
        }
    }

    /** {@code base} with this candidate's learning rate, decay period, L2 and BN switch. */
    public Recipe recipe(Recipe base) {
        return new RecipeOverrides(batchNorm, null, learningRate, null, null,
                GOOGLENET_DECAY_EPOCHS / decayAcceleration, null, l2, null, null).applyTo(base);
    }

    /** One line, e.g. {@code lr=0.0120 decay×6 l2=4.0e-05 batch=32 width=0.25 bn=on(decay 0.90, moving)}. */
    public String describe() {
        String text = describe(learningRate, decayAcceleration, l2, batchSize, widthMultiplier, batchNorm);
        return batchNorm ? text + "(" + bn.describe() + ")" : text;
    }

    private static String describe(double lr, double acceleration, double l2, int batch, double width, boolean bn) {
        return String.format(Locale.ROOT, "lr=%.4g decay×%.3g l2=%.2e batch=%d width=%.4g bn=%s", lr, acceleration,
                l2, batch, width, bn ? "on" : "off");
    }
}
