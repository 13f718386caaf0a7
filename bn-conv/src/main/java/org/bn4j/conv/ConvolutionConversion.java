package org.bn4j.conv;

import org.bn4j.internal.LayerReplacement;
import org.bn4j.internal.LayerReplacement.ParameterKeys;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * One-call conversion between DL4J's {@link ConvolutionLayer} and bn4j's {@link FastConvolution}, and between
 * DL4J's {@link SubsamplingLayer} and bn4j's {@link FastSubsampling}, for configurations and for initialized
 * (trained) networks, in both directions.
 *
 * <p>Only layers whose class is exactly {@code ConvolutionLayer} become FastConvolution; DL4J's subclasses
 * (Deconvolution2D, DepthwiseConvolution2D, SeparableConvolution2D, Convolution1DLayer, Convolution3D, ...) have
 * other math and are left as they are. Every field of the configuration (kernel, stride, padding, dilation, mode,
 * bias, activation, data format, name, updaters, dropout, weight noise, regularization, constraints, ...) is carried
 * over unchanged, because FastConvolution is a ConvolutionLayer subclass with no field of its own. Likewise only
 * layers whose class is exactly {@code SubsamplingLayer} become FastSubsampling, and only those whose settings the
 * Java pooling kernel computes (MAX or AVG, dilation 1, NCHW: {@link FastSubsampling#supports}); the others are
 * kept and the log (INFO) names them. Pooling layers have no parameters.
 *
 * <p>The parameters of both layers have the same keys, shapes and order, so a network converts with one copy of its
 * flattened parameter vector; the updater state (e.g. Adam's moments) and the iteration/epoch counts are carried
 * over too, so training continues exactly. {@link #toDl4jConvolution} gives a network that loads and runs where only
 * DL4J is on the class path (for deployment; {@code BatchNormFolding.fold} does this conversion too).
 *
 * <p>The pairs are {@code toFastConvolution}/{@code toDl4jConvolution} (and bn-layer's
 * {@code BatchNormConversion.toBn4jBatchNorm}/{@code toDl4jBatchNorm}), so that both classes can be imported
 * statically; the old names {@code toFast}/{@code toDl4j} still work, deprecated.
 */
public final class ConvolutionConversion {

    private static final Logger log = LoggerFactory.getLogger(ConvolutionConversion.class);

    private ConvolutionConversion() {
    }

    /**
     * A copy of {@code conf} with every {@code ConvolutionLayer} (exact class) replaced by a FastConvolution, every
     * supported {@code SubsamplingLayer} by a FastSubsampling.
     */
    public static MultiLayerConfiguration toFastConvolution(MultiLayerConfiguration conf) {
        return convert(conf, ConvolutionConversion::toFastLayer);
    }

    /**
     * Old name of {@link #toFastConvolution(MultiLayerConfiguration)}.
     *
     * @param conf what to convert
     * @return the converted copy
     * @deprecated use {@link #toFastConvolution(MultiLayerConfiguration)}: the same under a name that says what it
     *             converts and does not clash with the other conversion class in a static import
     */
    @Deprecated
    public static MultiLayerConfiguration toFast(MultiLayerConfiguration conf) {
        return toFastConvolution(conf);
    }

    /**
     * A copy of {@code conf} with every FastConvolution replaced by DL4J's {@code ConvolutionLayer}, every
     * FastSubsampling by DL4J's {@code SubsamplingLayer}.
     */
    public static MultiLayerConfiguration toDl4jConvolution(MultiLayerConfiguration conf) {
        return convert(conf, ConvolutionConversion::toDl4jLayer);
    }

    /**
     * Old name of {@link #toDl4jConvolution(MultiLayerConfiguration)}.
     *
     * @param conf what to convert
     * @return the converted copy
     * @deprecated use {@link #toDl4jConvolution(MultiLayerConfiguration)}: the same under a name that says what it
     *             converts and does not clash with the other conversion class in a static import
     */
    @Deprecated
    public static MultiLayerConfiguration toDl4j(MultiLayerConfiguration conf) {
        return toDl4jConvolution(conf);
    }

    /**
     * A copy of {@code conf} with every {@code ConvolutionLayer} (exact class) replaced by a FastConvolution, every
     * supported {@code SubsamplingLayer} by a FastSubsampling.
     */
    public static ComputationGraphConfiguration toFastConvolution(ComputationGraphConfiguration conf) {
        return convert(conf, ConvolutionConversion::toFastLayer);
    }

    /**
     * Old name of {@link #toFastConvolution(ComputationGraphConfiguration)}.
     *
     * @param conf what to convert
     * @return the converted copy
     * @deprecated use {@link #toFastConvolution(ComputationGraphConfiguration)}: the same under a name that says what it
     *             converts and does not clash with the other conversion class in a static import
     */
    @Deprecated
    public static ComputationGraphConfiguration toFast(ComputationGraphConfiguration conf) {
        return toFastConvolution(conf);
    }

    /**
     * A copy of {@code conf} with every FastConvolution replaced by DL4J's {@code ConvolutionLayer}, every
     * FastSubsampling by DL4J's {@code SubsamplingLayer}.
     */
    public static ComputationGraphConfiguration toDl4jConvolution(ComputationGraphConfiguration conf) {
        return convert(conf, ConvolutionConversion::toDl4jLayer);
    }

    /**
     * Old name of {@link #toDl4jConvolution(ComputationGraphConfiguration)}.
     *
     * @param conf what to convert
     * @return the converted copy
     * @deprecated use {@link #toDl4jConvolution(ComputationGraphConfiguration)}: the same under a name that says what it
     *             converts and does not clash with the other conversion class in a static import
     */
    @Deprecated
    public static ComputationGraphConfiguration toDl4j(ComputationGraphConfiguration conf) {
        return toDl4jConvolution(conf);
    }

    /** A new network with FastConvolution (and FastSubsampling) layers and the parameters and updater state of
     * {@code net}. */
    public static MultiLayerNetwork toFastConvolution(MultiLayerNetwork net) {
        return copy(net, toFastConvolution(net.getLayerWiseConfigurations()));
    }

    /**
     * Old name of {@link #toFastConvolution(MultiLayerNetwork)}.
     *
     * @param net what to convert
     * @return the converted copy
     * @deprecated use {@link #toFastConvolution(MultiLayerNetwork)}: the same under a name that says what it
     *             converts and does not clash with the other conversion class in a static import
     */
    @Deprecated
    public static MultiLayerNetwork toFast(MultiLayerNetwork net) {
        return toFastConvolution(net);
    }

    /** A new network with DL4J ConvolutionLayers (and SubsamplingLayers) and the parameters and updater state of {@code net}. */
    public static MultiLayerNetwork toDl4jConvolution(MultiLayerNetwork net) {
        return copy(net, toDl4jConvolution(net.getLayerWiseConfigurations()));
    }

    /**
     * Old name of {@link #toDl4jConvolution(MultiLayerNetwork)}.
     *
     * @param net what to convert
     * @return the converted copy
     * @deprecated use {@link #toDl4jConvolution(MultiLayerNetwork)}: the same under a name that says what it
     *             converts and does not clash with the other conversion class in a static import
     */
    @Deprecated
    public static MultiLayerNetwork toDl4j(MultiLayerNetwork net) {
        return toDl4jConvolution(net);
    }

    /** A new graph with FastConvolution (and FastSubsampling) layers and the parameters and updater state of
     * {@code net}. */
    public static ComputationGraph toFastConvolution(ComputationGraph net) {
        return copy(net, toFastConvolution(net.getConfiguration()));
    }

    /**
     * Old name of {@link #toFastConvolution(ComputationGraph)}.
     *
     * @param net what to convert
     * @return the converted copy
     * @deprecated use {@link #toFastConvolution(ComputationGraph)}: the same under a name that says what it
     *             converts and does not clash with the other conversion class in a static import
     */
    @Deprecated
    public static ComputationGraph toFast(ComputationGraph net) {
        return toFastConvolution(net);
    }

    /** A new graph with DL4J ConvolutionLayers (and SubsamplingLayers) and the parameters and updater state of {@code net}. */
    public static ComputationGraph toDl4jConvolution(ComputationGraph net) {
        return copy(net, toDl4jConvolution(net.getConfiguration()));
    }

    /**
     * Old name of {@link #toDl4jConvolution(ComputationGraph)}.
     *
     * @param net what to convert
     * @return the converted copy
     * @deprecated use {@link #toDl4jConvolution(ComputationGraph)}: the same under a name that says what it
     *             converts and does not clash with the other conversion class in a static import
     */
    @Deprecated
    public static ComputationGraph toDl4j(ComputationGraph net) {
        return toDl4jConvolution(net);
    }

    /**
     * The bn4j equivalent of {@code layer}: a FastConvolution if its class is exactly ConvolutionLayer, a
     * FastSubsampling if its class is exactly SubsamplingLayer and {@link FastSubsampling#supports} its settings
     * (else it is kept, and the log says why), otherwise {@code layer} itself.
     */
    public static Layer toFastLayer(Layer layer) {
        if (layer != null && layer.getClass() == ConvolutionLayer.class) {
            return copyFields((ConvolutionLayer) layer, new FastConvolution(), ConvolutionLayer.class);
        }
        if (layer != null && layer.getClass() == SubsamplingLayer.class && FastSubsampling.enabled()) {
            SubsamplingLayer pooling = (SubsamplingLayer) layer;
            if (FastSubsampling.supports(pooling)) {
                return copyFields(pooling, new FastSubsampling(), SubsamplingLayer.class);
            }
            log.info("bn4j conversion keeps DL4J's SubsamplingLayer \"{}\": {} pooling, dilation {}, {} "
                    + "(FastSubsampling computes MAX and AVG, dilation 1, NCHW)", pooling.getLayerName(), pooling.getPoolingType(),
                    Arrays.toString(pooling.getDilation()), pooling.getCnn2dDataFormat());
        }
        return layer;
    }

    /**
     * DL4J's equivalent of {@code layer}: a ConvolutionLayer if it is a FastConvolution, a SubsamplingLayer if it is
     * a FastSubsampling, otherwise {@code layer} itself.
     */
    public static Layer toDl4jLayer(Layer layer) {
        if (layer instanceof FastConvolution) {
            return copyFields((ConvolutionLayer) layer, new ConvolutionLayer(), ConvolutionLayer.class);
        }
        if (layer instanceof FastSubsampling) {
            return copyFields((SubsamplingLayer) layer, new SubsamplingLayer(), SubsamplingLayer.class);
        }
        return layer;
    }

    private static MultiLayerConfiguration convert(MultiLayerConfiguration conf, UnaryOperator<Layer> op) {
        return LayerReplacement.replaceLayers(conf, op, ParameterKeys.KEEP);
    }

    private static ComputationGraphConfiguration convert(ComputationGraphConfiguration conf,
                                                         UnaryOperator<Layer> op) {
        return LayerReplacement.replaceLayers(conf, op, ParameterKeys.KEEP);
    }

    /**
     * Copies every instance field declared by {@code declaredFrom} and its superclasses from {@code from} (a clone,
     * so that arrays are not shared) into {@code to}.
     */
    private static <T extends Layer> T copyFields(Layer from, T to, Class<?> declaredFrom) {
        Layer source = from.clone();
        try {
            for (Class<?> c = declaredFrom; c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers())) {
                        f.setAccessible(true);
                        f.set(to, f.get(source));
                    }
                }
            }
        } catch (IllegalAccessException | RuntimeException e) {
            throw new IllegalStateException("cannot copy the configuration of layer \""
                    + from.getLayerName() + "\"", e);
        }
        return to;
    }

    private static MultiLayerNetwork copy(MultiLayerNetwork from, MultiLayerConfiguration conf) {
        MultiLayerNetwork out = new MultiLayerNetwork(conf);
        out.init(from.params().dup(), false);
        Updater updater = from.getUpdater(false);
        if (updater != null) {
            copyState(updater.getStateViewArray(), out.getUpdater(true).getStateViewArray());
        }
        return out;
    }

    private static ComputationGraph copy(ComputationGraph from, ComputationGraphConfiguration conf) {
        ComputationGraph out = new ComputationGraph(conf);
        out.init(from.params().dup(), false);
        ComputationGraphUpdater updater = from.getUpdater(false);
        if (updater != null) {
            copyState(updater.getStateViewArray(), out.getUpdater(true).getStateViewArray());
        }
        return out;
    }

    private static void copyState(INDArray from, INDArray to) {
        if (from != null && to != null) {
            to.assign(from);
        }
    }
}
