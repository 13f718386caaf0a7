package org.bn4j.inception.search;

import org.bn4j.BatchNorm;
import org.bn4j.PopulationAveraging;
import org.bn4j.inception.recipe.Recipe;
import org.bn4j.inception.recipe.RecipeOverrides;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;

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
        return RecipeOverrides.none().withBatchNorm(batchNorm).withLearningRate(learningRate)
                .withLrDecayEpochs(GOOGLENET_DECAY_EPOCHS / decayAcceleration).withL2(l2).applyTo(base);
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

    /**
     * The options of bn4j's {@link BatchNorm} that a search varies, applied alike to every BatchNorm layer of a
     * network.
     *
     * @param eps            ε added to the variance
     * @param decay          moving-average decay of the population statistics
     * @param averaging      moving or cumulative average of the population statistics
     * @param learnGammaBeta learned γ/β (true) or fixed γ = 1, β = 0 (false)
     */
    public record BatchNormSettings(double eps, double decay, PopulationAveraging averaging, boolean learnGammaBeta)
            implements Serializable {

        /** BatchNorm's own defaults. */
        public static BatchNormSettings defaults() {
            return of(new BatchNorm.Builder().build());
        }

        /** The settings of one configured layer. */
        public static BatchNormSettings of(BatchNorm layer) {
            return new BatchNormSettings(layer.getEps(), layer.getDecay(), layer.getAveraging(),
                    layer.isLearnGammaBeta());
        }

        /** E.g. {@code eps 1.0e-05, decay 0.900, moving_average} (plus {@code , fixed γ/β} when not learned). */
        public String describe() {
            return String.format(Locale.ROOT, "eps %.1e, decay %.3f, %s%s", eps, decay,
                    averaging.name().toLowerCase(Locale.ROOT), learnGammaBeta ? "" : ", fixed γ/β");
        }

        /** Sets these options on every BatchNorm layer of {@code conf} (before it is initialized); the count. */
        public int applyTo(ComputationGraphConfiguration conf) {
            int changed = 0;
            for (GraphVertex vertex : conf.getVertices().values()) {
                if (vertex instanceof LayerVertex layerVertex
                        && layerVertex.getLayerConf().getLayer() instanceof BatchNorm bn) {
                    bn.setEps(eps);
                    bn.setDecay(decay);
                    bn.setAveraging(averaging);
                    bn.setLearnGammaBeta(learnGammaBeta);
                    changed++;
                }
            }
            return changed;
        }
    }
}
