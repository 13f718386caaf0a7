package org.bn4j.deploy;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Old name of {@link BatchNormStatisticsFreezer}: it freezes the population statistics only (γ and β still learn),
 * which the new name says.
 *
 * @deprecated use {@link BatchNormStatisticsFreezer}, which has the same methods
 */
@Deprecated
public final class BatchNormFreezer {

    private BatchNormFreezer() {
    }

    /**
     * As {@link BatchNormStatisticsFreezer#freeze(MultiLayerNetwork)}.
     *
     * @param net the network, changed in place
     * @return the number of layers changed
     */
    public static int freeze(MultiLayerNetwork net) {
        return BatchNormStatisticsFreezer.freeze(net);
    }

    /**
     * As {@link BatchNormStatisticsFreezer#unfreeze(MultiLayerNetwork)}.
     *
     * @param net the network, changed in place
     * @return the number of layers changed
     */
    public static int unfreeze(MultiLayerNetwork net) {
        return BatchNormStatisticsFreezer.unfreeze(net);
    }

    /**
     * As {@link BatchNormStatisticsFreezer#freeze(ComputationGraph)}.
     *
     * @param net the network, changed in place
     * @return the number of layers changed
     */
    public static int freeze(ComputationGraph net) {
        return BatchNormStatisticsFreezer.freeze(net);
    }

    /**
     * As {@link BatchNormStatisticsFreezer#unfreeze(ComputationGraph)}.
     *
     * @param net the network, changed in place
     * @return the number of layers changed
     */
    public static int unfreeze(ComputationGraph net) {
        return BatchNormStatisticsFreezer.unfreeze(net);
    }

    /**
     * As {@link BatchNormStatisticsFreezer#freeze(MultiLayerConfiguration, boolean)}.
     *
     * @param conf the configuration, changed in place
     * @param frozen true to freeze, false to unfreeze
     * @return the number of layers changed
     */
    public static int freeze(MultiLayerConfiguration conf, boolean frozen) {
        return BatchNormStatisticsFreezer.freeze(conf, frozen);
    }

    /**
     * As {@link BatchNormStatisticsFreezer#freeze(ComputationGraphConfiguration, boolean)}.
     *
     * @param conf the configuration, changed in place
     * @param frozen true to freeze, false to unfreeze
     * @return the number of layers changed
     */
    public static int freeze(ComputationGraphConfiguration conf, boolean frozen) {
        return BatchNormStatisticsFreezer.freeze(conf, frozen);
    }
}
