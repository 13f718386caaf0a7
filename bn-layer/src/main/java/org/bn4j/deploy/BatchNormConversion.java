package org.bn4j.deploy;

import org.bn4j.BatchNorm;
import org.bn4j.PopulationAveraging;
import org.bn4j.internal.LayerReplacement;
import org.bn4j.internal.LayerReplacement.ParameterKeys;
import org.bn4j.statistics.NormalizationLayers;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Drop-in conversion between DL4J's built-in {@code BatchNormalization} and bn4j's {@link BatchNorm}, for
 * configurations and for trained networks, in both directions.
 *
 * <p>Both layers compute the paper's transform (Ioffe &amp; Szegedy, ICML 2015, Algorithm 1 in training,
 * {@code y = γ·(x − E[x])/√(Var[x]+ε) + β} at inference), so a converted network gives the same output: γ, β,
 * E[x] and Var[x] are carried over (DL4J's {@code log10stdev} as {@code Var = (10^log10std)²}); eps, decay, the data
 * format, the layer name, updater and dropout are kept. Other layers are copied unchanged. The converted network has
 * fresh updater state.
 *
 * <ul>
 *   <li>{@code toBn4jBatchNorm}: DL4J's {@code lockGammaBeta} becomes {@code learnGammaBeta(false)} (only for the constants
 *       γ = 1, β = 0; other constants are an error). DL4J's layer ignores a configured activation, so the bn4j layer
 *       gets the identity. Going on training, bn4j feeds the <em>unbiased</em> batch variance into the moving
 *       average, as the paper does; DL4J feeds the biased one.</li>
 *   <li>{@code toDl4jBatchNorm}: the DL4J layer stores the variance as a variance ({@code useLogStd(false)}), exactly. A bn4j
 *       layer with an activation other than identity cannot be expressed (DL4J's layer would ignore it) and is an
 *       error; cumulative averaging becomes DL4J's moving average with the layer's decay (a warning is logged).</li>
 * </ul>
 */
public final class BatchNormConversion {

    private static final Logger log = LoggerFactory.getLogger(BatchNormConversion.class);

    private BatchNormConversion() {
    }

    /** A copy of {@code conf} with every DL4J BatchNormalization replaced by a bn4j BatchNorm. */
    public static MultiLayerConfiguration toBn4jBatchNorm(MultiLayerConfiguration conf) {
        return convert(conf, BatchNormConversion::toBn4jLayer);
    }

    /**
     * Old name of {@link #toBn4jBatchNorm(MultiLayerConfiguration)}.
     *
     * @param conf what to convert
     * @return the converted copy
     * @deprecated use {@link #toBn4jBatchNorm(MultiLayerConfiguration)}: the same under a name that says what it
     *             converts and does not clash with the other conversion class in a static import
     */
    @Deprecated
    public static MultiLayerConfiguration toBn4j(MultiLayerConfiguration conf) {
        return toBn4jBatchNorm(conf);
    }

    /** A copy of {@code conf} with every bn4j BatchNorm replaced by a DL4J BatchNormalization. */
    public static MultiLayerConfiguration toDl4jBatchNorm(MultiLayerConfiguration conf) {
        return convert(conf, BatchNormConversion::toDl4jLayer);
    }

    /**
     * Old name of {@link #toDl4jBatchNorm(MultiLayerConfiguration)}.
     *
     * @param conf what to convert
     * @return the converted copy
     * @deprecated use {@link #toDl4jBatchNorm(MultiLayerConfiguration)}: the same under a name that says what it
     *             converts and does not clash with the other conversion class in a static import
     */
    @Deprecated
    public static MultiLayerConfiguration toDl4j(MultiLayerConfiguration conf) {
        return toDl4jBatchNorm(conf);
    }

    /** A copy of {@code conf} with every DL4J BatchNormalization replaced by a bn4j BatchNorm. */
    public static ComputationGraphConfiguration toBn4jBatchNorm(ComputationGraphConfiguration conf) {
        return convert(conf, BatchNormConversion::toBn4jLayer);
    }

    /**
     * Old name of {@link #toBn4jBatchNorm(ComputationGraphConfiguration)}.
     *
     * @param conf what to convert
     * @return the converted copy
     * @deprecated use {@link #toBn4jBatchNorm(ComputationGraphConfiguration)}: the same under a name that says what it
     *             converts and does not clash with the other conversion class in a static import
     */
    @Deprecated
    public static ComputationGraphConfiguration toBn4j(ComputationGraphConfiguration conf) {
        return toBn4jBatchNorm(conf);
    }

    /** A copy of {@code conf} with every bn4j BatchNorm replaced by a DL4J BatchNormalization. */
    public static ComputationGraphConfiguration toDl4jBatchNorm(ComputationGraphConfiguration conf) {
        return convert(conf, BatchNormConversion::toDl4jLayer);
    }

    /**
     * Old name of {@link #toDl4jBatchNorm(ComputationGraphConfiguration)}.
     *
     * @param conf what to convert
     * @return the converted copy
     * @deprecated use {@link #toDl4jBatchNorm(ComputationGraphConfiguration)}: the same under a name that says what it
     *             converts and does not clash with the other conversion class in a static import
     */
    @Deprecated
    public static ComputationGraphConfiguration toDl4j(ComputationGraphConfiguration conf) {
        return toDl4jBatchNorm(conf);
    }

    /** A new network using bn4j's BatchNorm, with every parameter and statistic of {@code net} carried over. */
    public static MultiLayerNetwork toBn4jBatchNorm(MultiLayerNetwork net) {
        return copy(net, toBn4jBatchNorm(net.getLayerWiseConfigurations()));
    }

    /**
     * Old name of {@link #toBn4jBatchNorm(MultiLayerNetwork)}.
     *
     * @param net what to convert
     * @return the converted copy
     * @deprecated use {@link #toBn4jBatchNorm(MultiLayerNetwork)}: the same under a name that says what it
     *             converts and does not clash with the other conversion class in a static import
     */
    @Deprecated
    public static MultiLayerNetwork toBn4j(MultiLayerNetwork net) {
        return toBn4jBatchNorm(net);
    }

    /** A new network using DL4J's BatchNormalization, with every parameter and statistic carried over. */
    public static MultiLayerNetwork toDl4jBatchNorm(MultiLayerNetwork net) {
        return copy(net, toDl4jBatchNorm(net.getLayerWiseConfigurations()));
    }

    /**
     * Old name of {@link #toDl4jBatchNorm(MultiLayerNetwork)}.
     *
     * @param net what to convert
     * @return the converted copy
     * @deprecated use {@link #toDl4jBatchNorm(MultiLayerNetwork)}: the same under a name that says what it
     *             converts and does not clash with the other conversion class in a static import
     */
    @Deprecated
    public static MultiLayerNetwork toDl4j(MultiLayerNetwork net) {
        return toDl4jBatchNorm(net);
    }

    /** A new graph using bn4j's BatchNorm, with every parameter and statistic of {@code net} carried over. */
    public static ComputationGraph toBn4jBatchNorm(ComputationGraph net) {
        return copy(net, toBn4jBatchNorm(net.getConfiguration()));
    }

    /**
     * Old name of {@link #toBn4jBatchNorm(ComputationGraph)}.
     *
     * @param net what to convert
     * @return the converted copy
     * @deprecated use {@link #toBn4jBatchNorm(ComputationGraph)}: the same under a name that says what it
     *             converts and does not clash with the other conversion class in a static import
     */
    @Deprecated
    public static ComputationGraph toBn4j(ComputationGraph net) {
        return toBn4jBatchNorm(net);
    }

    /** A new graph using DL4J's BatchNormalization, with every parameter and statistic carried over. */
    public static ComputationGraph toDl4jBatchNorm(ComputationGraph net) {
        return copy(net, toDl4jBatchNorm(net.getConfiguration()));
    }

    /**
     * Old name of {@link #toDl4jBatchNorm(ComputationGraph)}.
     *
     * @param net what to convert
     * @return the converted copy
     * @deprecated use {@link #toDl4jBatchNorm(ComputationGraph)}: the same under a name that says what it
     *             converts and does not clash with the other conversion class in a static import
     */
    @Deprecated
    public static ComputationGraph toDl4j(ComputationGraph net) {
        return toDl4jBatchNorm(net);
    }

    private static MultiLayerConfiguration convert(MultiLayerConfiguration conf,
                                                   UnaryOperator<org.deeplearning4j.nn.conf.layers.Layer> op) {
        return LayerReplacement.replaceLayers(conf, op, ParameterKeys.FORGET);
    }

    private static ComputationGraphConfiguration convert(ComputationGraphConfiguration conf,
                                                         UnaryOperator<org.deeplearning4j.nn.conf.layers.Layer> op) {
        return LayerReplacement.replaceLayers(conf, op, ParameterKeys.FORGET);
    }

    private static org.deeplearning4j.nn.conf.layers.Layer toBn4jLayer(org.deeplearning4j.nn.conf.layers.Layer layer) {
        if (!(layer instanceof BatchNormalization)) {
            return layer;
        }
        BatchNormalization dl4j = (BatchNormalization) layer;
        String name = "DL4J BatchNormalization layer \"" + dl4j.getLayerName() + "\"";
        if (dl4j.isLockGammaBeta() && (dl4j.getGamma() != 1.0 || dl4j.getBeta() != 0.0)) {
            throw new IllegalArgumentException(name + ": locked γ = " + dl4j.getGamma() + ", β = " + dl4j.getBeta()
                    + " cannot be converted; bn4j fixes γ/β only at 1 and 0");
        }
        BatchNorm bn = new BatchNorm.Builder().nIn(dl4j.getNOut()).eps(dl4j.getEps()).decay(dl4j.getDecay())
                .learnGammaBeta(!dl4j.isLockGammaBeta()).dataFormat(dl4j.getCnn2DFormat()).build();
        copyCommon(dl4j, bn);
        return bn;
    }

    private static org.deeplearning4j.nn.conf.layers.Layer toDl4jLayer(org.deeplearning4j.nn.conf.layers.Layer layer) {
        if (!(layer instanceof BatchNorm)) {
            return layer;
        }
        BatchNorm bn = (BatchNorm) layer;
        if (bn.getActivationFn() != null && !(bn.getActivationFn() instanceof ActivationIdentity)) {
            throw new IllegalArgumentException(bn.describe() + ": has activation " + bn.getActivationFn()
                    + ", which DL4J's BatchNormalization would ignore; configure it without activation and add an "
                    + "ActivationLayer after it before converting");
        }
        if (bn.getAveraging() == PopulationAveraging.CUMULATIVE) {
            log.warn("{}: cumulative averaging becomes DL4J's moving average with decay {}", bn.describe(),
                    bn.getDecay());
        }
        if (bn.isBatchRenorm() || bn.getGhostBatchSize() > 0) {
            log.warn("{}: Batch Renormalization / ghost batches change training only; DL4J's BatchNormalization "
                    + "trains plain batch normalization (inference is the same)", bn.describe());
        }
        BatchNormalization dl4j = new BatchNormalization.Builder().nIn(bn.getNOut()).nOut(bn.getNOut())
                .eps(bn.getEps()).decay(bn.getDecay()).lockGammaBeta(!bn.isLearnGammaBeta()).gamma(1.0).beta(0.0)
                .dataFormat(bn.getDataFormat()).useLogStd(false).build();
        copyCommon(bn, dl4j);
        return dl4j;
    }

    private static void copyCommon(BaseLayer from, BaseLayer to) {
        to.setLayerName(from.getLayerName());
        to.setIUpdater(from.getIUpdater());
        to.setBiasUpdater(from.getBiasUpdater());
        to.setIDropout(from.getIDropout());
        to.setWeightInitFn(from.getWeightInitFn());
        to.setBiasInit(from.getBiasInit());
        to.setGainInit(from.getGainInit());
        to.setGradientNormalization(from.getGradientNormalization());
        to.setGradientNormalizationThreshold(from.getGradientNormalizationThreshold());
        to.setWeightNoise(from.getWeightNoise());
        to.setRegularization(from.getRegularization());
        to.setRegularizationBias(from.getRegularizationBias());
        to.setActivationFn(new ActivationIdentity());
    }

    private static MultiLayerNetwork copy(MultiLayerNetwork from, MultiLayerConfiguration conf) {
        MultiLayerNetwork out = new MultiLayerNetwork(conf);
        out.init();
        for (int i = 0; i < from.getnLayers(); i++) {
            copyParams(from.getLayer(i), out.getLayer(i), "layer" + i);
        }
        return out;
    }

    private static ComputationGraph copy(ComputationGraph from, ComputationGraphConfiguration conf) {
        ComputationGraph out = new ComputationGraph(conf);
        out.init();
        for (Layer layer : out.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            copyParams(from.getLayer(name), layer, name);
        }
        return out;
    }

    private static void copyParams(Layer from, Layer to, String name) {
        if (!NormalizationLayers.isNormalization(from) || from.getClass() == to.getClass()) {
            for (Map.Entry<String, INDArray> e : to.paramTable().entrySet()) {
                e.getValue().assign(from.getParam(e.getKey()));
            }
            return;
        }
        NormalizationLayers.Entry source = new NormalizationLayers.Entry(name, from);
        NormalizationLayers.Entry target = new NormalizationLayers.Entry(name, to);
        if (source.gamma() != null) {
            target.gamma().assign(source.gamma().reshape(target.gamma().shape()));
            target.beta().assign(source.beta().reshape(target.beta().shape()));
        }
        target.setStatistics(source.mean(), source.variance());
    }
}
