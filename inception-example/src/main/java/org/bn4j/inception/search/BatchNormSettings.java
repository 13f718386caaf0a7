package org.bn4j.inception.search;

import org.bn4j.BatchNorm;
import org.bn4j.PopulationAveraging;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;

import java.io.Serializable;

/**
 * The options of bn4j's {@link BatchNorm} that a search varies, applied alike to every BatchNorm layer of a network.
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
        return String.format(java.util.Locale.ROOT, "eps %.1e, decay %.3f, %s%s", eps, decay,
                averaging.name().toLowerCase(java.util.Locale.ROOT), learnGammaBeta ? "" : ", fixed γ/β");
    }

    /** Sets these options on every BatchNorm layer of {@code conf} (before the network is initialized); the count. */
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
