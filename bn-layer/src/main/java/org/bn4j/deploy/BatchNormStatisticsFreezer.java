package org.bn4j.deploy;

import org.bn4j.BatchNorm;
import org.bn4j.statistics.PopulationStatistics;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.ArrayList;
import java.util.List;

/**
 * Freezes (or unfreezes) the population statistics of every bn4j {@link BatchNorm} layer of a network or
 * configuration: with frozen statistics a layer trains with {@code y = γ·(x − E[x])/√(Var[x]+ε) + β}, the inference
 * map of Ioffe &amp; Szegedy (ICML 2015, §3.1, Algorithm 2), instead of the batch statistics of Algorithm 1, and
 * never changes E[x] and Var[x]; γ and β still learn. This is how a network is fine-tuned with batches too small for
 * good batch statistics, typically after {@link PopulationStatistics#estimate}.
 *
 * <p>The call changes the layers' configuration in place, so it applies at once to a built network (and to its
 * saved JSON), including one made by DL4J's {@code TransferLearning}. Layers inside DL4J's {@code FrozenLayer} already
 * run with their population statistics and are changed too, so that they stay frozen when unwrapped. DL4J's built-in
 * {@code BatchNormalization} has no such mode: it is an error unless wrapped in a {@code FrozenLayer}; convert it with
 * {@link BatchNormConversion#toBn4jBatchNorm} first.
 *
 * <pre>
 *   PopulationStatistics.estimate(net, trainIterator, 100);
 *   BatchNormStatisticsFreezer.freeze(net);
 *   net.fit(smallBatches);
 * </pre>
 *
 * <p>Frozen statistics never change: {@link PopulationStatistics#estimate} skips layers with frozen statistics
 * (unfreeze to re-estimate them). The class was called {@code BatchNormFreezer}; that name still works, deprecated.
 */
public final class BatchNormStatisticsFreezer {

    private BatchNormStatisticsFreezer() {
    }

    /** Freezes every bn4j BatchNorm of {@code net}; returns the number of layers changed. */
    public static int freeze(MultiLayerNetwork net) {
        return freeze(net.getLayerWiseConfigurations(), true);
    }

    /** Returns every bn4j BatchNorm of {@code net} to batch statistics (Algorithm 1); returns the number changed. */
    public static int unfreeze(MultiLayerNetwork net) {
        return freeze(net.getLayerWiseConfigurations(), false);
    }

    /** Freezes every bn4j BatchNorm of {@code net}; returns the number of layers changed. */
    public static int freeze(ComputationGraph net) {
        return freeze(net.getConfiguration(), true);
    }

    /** Returns every bn4j BatchNorm of {@code net} to batch statistics (Algorithm 1); returns the number changed. */
    public static int unfreeze(ComputationGraph net) {
        return freeze(net.getConfiguration(), false);
    }

    /** Sets frozen statistics on every bn4j BatchNorm of {@code conf} (in place); returns the number changed. */
    public static int freeze(MultiLayerConfiguration conf, boolean frozen) {
        return apply(conf.getConfs(), frozen);
    }

    /** Sets frozen statistics on every bn4j BatchNorm of {@code conf} (in place); returns the number changed. */
    public static int freeze(ComputationGraphConfiguration conf, boolean frozen) {
        List<NeuralNetConfiguration> confs = new ArrayList<>();
        for (GraphVertex vertex : conf.getVertices().values()) {
            if (vertex instanceof LayerVertex) {
                confs.add(((LayerVertex) vertex).getLayerConf());
            }
        }
        return apply(confs, frozen);
    }

    private static int apply(List<NeuralNetConfiguration> confs, boolean frozen) {
        int changed = 0;
        for (NeuralNetConfiguration conf : confs) {
            org.deeplearning4j.nn.conf.layers.Layer layer = conf.getLayer();
            boolean wrapped = false;
            while (true) {
                if (layer instanceof FrozenLayer) {
                    layer = ((FrozenLayer) layer).getLayer();
                } else if (layer instanceof BaseWrapperLayer) {
                    layer = ((BaseWrapperLayer) layer).getUnderlying();
                } else {
                    break;
                }
                wrapped = true;
            }
            if (layer instanceof BatchNorm) {
                BatchNorm bn = (BatchNorm) layer;
                if (bn.isFrozenStatistics() != frozen) {
                    bn.setFrozenStatistics(frozen);
                    changed++;
                }
            } else if (frozen && layer instanceof BatchNormalization && !wrapped) {
                throw new IllegalArgumentException("DL4J BatchNormalization layer \"" + layer.getLayerName()
                        + "\" cannot train with frozen statistics: convert the network with "
                        + "BatchNormConversion.toBn4jBatchNorm first, or wrap the layer in a FrozenLayer");
            }
        }
        return changed;
    }
}
