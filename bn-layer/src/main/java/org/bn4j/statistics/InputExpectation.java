package org.bn4j.statistics;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Map;

/**
 * What a network's first layer expects of its input, read from the configuration (the first layer, its input
 * preprocessor, and the first flattening of images before a dense layer), so that a mini-batch that does not fit is
 * reported in the user's terms: what the iterator gives and what the network expects. DL4J's own message names a
 * shape deep inside the network that the user never gave.
 */
final class InputExpectation {

    /** Accepts anything (several inputs, or a first layer whose input is not checked here). */
    static final InputExpectation ANY = new InputExpectation(null, null, null);

    private final Layer first;
    private final InputPreProcessor pre;
    private final CnnToFeedForwardPreProcessor flatten;

    private InputExpectation(Layer first, InputPreProcessor pre, CnnToFeedForwardPreProcessor flatten) {
        this.first = first;
        this.pre = pre;
        this.flatten = flatten;
    }

    static InputExpectation of(MultiLayerNetwork net) {
        var conf = net.getLayerWiseConfigurations();
        if (conf.getConfs().isEmpty()) {
            return ANY;
        }
        CnnToFeedForwardPreProcessor flatten = null;
        for (int i = 0; i < conf.getConfs().size() && flatten == null; i++) {
            if (conf.getInputPreProcess(i) instanceof CnnToFeedForwardPreProcessor) {
                flatten = (CnnToFeedForwardPreProcessor) conf.getInputPreProcess(i);
            }
        }
        return new InputExpectation(conf.getConf(0).getLayer(), conf.getInputPreProcess(0), flatten);
    }

    static InputExpectation of(ComputationGraph net) {
        ComputationGraphConfiguration conf = net.getConfiguration();
        if (conf.getNetworkInputs().size() != 1) {
            return ANY;
        }
        String input = conf.getNetworkInputs().get(0);
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            if (e.getValue() instanceof LayerVertex && conf.getVertexInputs().get(e.getKey()).contains(input)) {
                LayerVertex v = (LayerVertex) e.getValue();
                return new InputExpectation(v.getLayerConf().getLayer(), v.getPreProcessor(), null);
            }
        }
        return ANY;
    }

    /** The expected input in words, or null when unknown. */
    private String describe() {
        if (pre instanceof FeedForwardToCnnPreProcessor) {
            FeedForwardToCnnPreProcessor p = (FeedForwardToCnnPreProcessor) pre;
            return "images of " + p.getNumChannels() + " channel(s) of " + p.getInputHeight() + "×"
                    + p.getInputWidth() + ", flattened [N, " + p.getNumChannels() * p.getInputHeight()
                    * p.getInputWidth() + "] or [N, " + p.getNumChannels() + ", " + p.getInputHeight() + ", "
                    + p.getInputWidth() + "]";
        }
        if (pre instanceof CnnToFeedForwardPreProcessor) {
            CnnToFeedForwardPreProcessor p = (CnnToFeedForwardPreProcessor) pre;
            return "images of " + p.getNumChannels() + " channel(s) of " + p.getInputHeight() + "×"
                    + p.getInputWidth() + " (" + p.getFormat() + ")";
        }
        if (pre != null) {
            return null;
        }
        if (first instanceof ConvolutionLayer && ((ConvolutionLayer) first).getNIn() > 0) {
            ConvolutionLayer c = (ConvolutionLayer) first;
            String shape = c.getCnn2dDataFormat() == CNN2DFormat.NHWC ? "[N, H, W, " + c.getNIn() + "] (NHWC)"
                    : "[N, " + c.getNIn() + ", H, W] (NCHW)";
            String size = flatten == null ? "" : " of the size that makes " + flatten.getNumChannels() + "×"
                    + flatten.getInputHeight() + "×" + flatten.getInputWidth() + " activations where the network "
                    + "flattens them (the image size of the network's input type)";
            return "images " + shape + " with " + c.getNIn() + " channel(s)" + size;
        }
        if (isDense(first)) {
            return "feature vectors [N, " + ((FeedForwardLayer) first).getNIn() + "]";
        }
        return null;
    }

    /** Why {@code features} cannot be the network's input, or null when nothing here says so. */
    private String mismatch(INDArray features) {
        long[] s = features.shape();
        if (pre instanceof FeedForwardToCnnPreProcessor) {
            FeedForwardToCnnPreProcessor p = (FeedForwardToCnnPreProcessor) pre;
            long c = p.getNumChannels();
            long h = p.getInputHeight();
            long w = p.getInputWidth();
            boolean ok = features.rank() == 2 ? s[1] == c * h * w
                    : features.rank() == 4 && s[1] == c && s[2] == h && s[3] == w;
            return ok ? null : "the network expects " + describe();
        }
        if (pre instanceof CnnToFeedForwardPreProcessor) {
            CnnToFeedForwardPreProcessor p = (CnnToFeedForwardPreProcessor) pre;
            long size = p.getNumChannels() * p.getInputHeight() * p.getInputWidth();
            boolean ok = features.rank() == 4 ? features.length() / s[0] == size
                    : features.rank() == 2 && s[1] == size;
            return ok ? null : "the network expects " + describe();
        }
        if (pre != null) {
            return null;
        }
        if (first instanceof ConvolutionLayer && ((ConvolutionLayer) first).getNIn() > 0) {
            ConvolutionLayer c = (ConvolutionLayer) first;
            if (features.rank() != 4) {
                return "the network expects " + describe() + (features.rank() == 2
                        ? ": flattened images need a network built with InputType.convolutionalFlat, or reshape them"
                        : "");
            }
            long channels = c.getCnn2dDataFormat() == CNN2DFormat.NHWC ? s[3] : s[1];
            return channels == c.getNIn() ? null : "the network expects " + describe();
        }
        if (isDense(first)) {
            long nIn = ((FeedForwardLayer) first).getNIn();
            boolean ok = features.rank() == 2 && s[1] == nIn;
            return ok ? null : "the network expects " + describe() + (features.rank() == 4
                    ? ": images need a network built with an image input type (setInputType), which flattens them"
                    : "");
        }
        return null;
    }

    /**
     * Runs {@code forward} over the first mini-batch, whose (first) features are {@code features}: a mismatch with
     * what the network expects, or DL4J's failure on that batch, is an {@code IllegalArgumentException} that says what
     * the iterator gives and what the network expects.
     */
    void runFirst(INDArray features, Runnable forward) {
        String why = mismatch(features);
        if (why != null) {
            throw new IllegalArgumentException(message(features, why));
        }
        try {
            forward.run();
        } catch (RuntimeException e) {
            String expects = describe();
            throw new IllegalArgumentException(message(features, "the network cannot process it"
                    + (expects == null ? "" : "; it expects " + expects) + ". DL4J says: " + e.getMessage()), e);
        }
    }

    /** The message for a first mini-batch that does not fit: what the iterator gives and what is expected. */
    private static String message(INDArray features, String why) {
        return "the iterator's mini-batches do not fit the network: the first has features of shape "
                + Arrays.toString(features.shape()) + " (" + features.dataType() + "), but " + why;
    }

    private static boolean isDense(Layer layer) {
        return layer instanceof FeedForwardLayer && !(layer instanceof ConvolutionLayer)
                && layer.getClass().getName().startsWith("org.deeplearning4j.nn.conf.layers.")
                && ((FeedForwardLayer) layer).getNIn() > 0
                && (layer instanceof org.deeplearning4j.nn.conf.layers.DenseLayer
                || layer instanceof org.deeplearning4j.nn.conf.layers.BaseOutputLayer);
    }
}
