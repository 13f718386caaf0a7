package org.bn4j.deploy;

import org.bn4j.BatchNorm;
import org.bn4j.math.BatchNormKernels;
import org.bn4j.statistics.NormalizationLayers;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds batch normalization into the preceding linear layer for inference. At inference a batch-normalization layer
 * is the per-feature linear map of its population statistics (Ioffe &amp; Szegedy, ICML 2015, §3.1, Algorithm 2,
 * step 11): {@code y = γ/√(Var[x]+ε)·x + (β − γ·E[x]/√(Var[x]+ε))}. When its input is the output {@code x = W·u + b}
 * of a ConvolutionLayer or DenseLayer, the two compose into one layer with, per output feature,
 * <pre>
 *   W' = W · γ/√(Var[x]+ε)
 *   b' = (b − E[x]) · γ/√(Var[x]+ε) + β
 * </pre>
 * and the normalization layer's activation moves to the folded layer.
 *
 * <p>{@code fold} returns a new network; the original is unchanged. A normalization layer (bn4j {@link BatchNorm} or
 * DL4J's built-in {@code BatchNormalization}) is folded when it directly follows a {@link ConvolutionLayer} or
 * {@link DenseLayer} (exactly those classes) with identity activation, no layer normalization, the same data format,
 * no input preprocessor in between, and no other consumer of that layer's output (ComputationGraph: no other vertex,
 * not a network output). Chains (conv → BN → BN) fold completely. Any other normalization layer stays unchanged,
 * which at inference is exactly its per-feature linear map; {@link FoldingResult#unfolded()} names it and says why.
 * A ConvolutionLayer or DenseLayer without bias gets one.
 *
 * <p>bn4j layers that only run DL4J's math through other kernels ({@link Dl4jEquivalentLayer}, for example bn-conv's
 * {@code FastConvolution}) are first replaced by their DL4J class, parameters unchanged, and normalization layers that
 * follow them fold as they would after that class; {@link FoldingResult#converted()} names them. So one call turns a
 * network of bn4j layers that fold completely into a plain-DL4J network.
 *
 * <p>The folded network is meant for inference: it has fresh updater state. A fully folded network contains only
 * DL4J classes, so it saves with {@code ModelSerializer} and loads where bn4j is not on the class path: this is the
 * way to ship a bn4j model to an application that has only DL4J (a network that still holds a bn4j class fails to
 * load there with DL4J's misleading "pre version 1.0.0-beta JSON format" message).
 */
public final class BatchNormFolding {

    private BatchNormFolding() {
    }

    /** Folds every foldable normalization layer of {@code net} into a new MultiLayerNetwork. */
    public static FoldingResult<MultiLayerNetwork> fold(MultiLayerNetwork net) {
        MultiLayerConfiguration oldConf = net.getLayerWiseConfigurations();
        List<Target> kept = new ArrayList<>();
        List<FoldingResult.Folded> folded = new ArrayList<>();
        List<FoldingResult.Unfolded> unfolded = new ArrayList<>();
        List<String> converted = new ArrayList<>();
        Map<Integer, InputPreProcessor> preProcessors = new HashMap<>();
        Layer[] layers = net.getLayers();
        for (int i = 0; i < layers.length; i++) {
            NeuralNetConfiguration conf = oldConf.getConf(i).clone();
            InputPreProcessor pre = oldConf.getInputPreProcess(i);
            String name = name(conf, i);
            toDl4jEquivalent(conf, name, converted);
            if (NormalizationLayers.isNormalization(layers[i])) {
                NormalizationLayers.Entry bn = new NormalizationLayers.Entry(name, layers[i]);
                String reason;
                if (kept.isEmpty()) {
                    reason = "it is the first layer of the network";
                } else if (pre != null) {
                    reason = "an input preprocessor (" + pre.getClass().getSimpleName() + ") is between it and "
                            + kept.get(kept.size() - 1).name;
                } else {
                    reason = whyNotFoldable(kept.get(kept.size() - 1), bn);
                }
                if (reason == null) {
                    Target target = kept.get(kept.size() - 1);
                    target.fold(bn);
                    folded.add(new FoldingResult.Folded(name, target.name));
                    continue;
                }
                unfolded.add(new FoldingResult.Unfolded(name, reason));
            } else if (NormalizationLayers.wrapperOfNormalization(layers[i]) != null) {
                unfolded.add(new FoldingResult.Unfolded(name, "it is wrapped in "
                        + NormalizationLayers.wrapperOfNormalization(layers[i])));
            }
            if (pre != null) {
                preProcessors.put(kept.size(), pre.clone());
            }
            kept.add(new Target(name, conf, layers[i]));
        }

        MultiLayerConfiguration newConf = oldConf.clone();
        List<NeuralNetConfiguration> confs = new ArrayList<>();
        for (Target t : kept) {
            confs.add(t.conf);
        }
        newConf.setConfs(confs);
        newConf.setInputPreProcessors(preProcessors);
        MultiLayerNetwork out = new MultiLayerNetwork(newConf);
        out.init();
        for (int j = 0; j < kept.size(); j++) {
            kept.get(j).copyParams(out.getLayer(j));
        }
        return new FoldingResult<>(out, folded, unfolded, converted);
    }

    /** Folds every foldable normalization layer of {@code net} into a new ComputationGraph. */
    public static FoldingResult<ComputationGraph> fold(ComputationGraph net) {
        ComputationGraphConfiguration conf = net.getConfiguration().clone();
        Map<String, GraphVertex> vertices = conf.getVertices();
        Map<String, List<String>> inputs = conf.getVertexInputs();
        Map<String, Target> targets = new LinkedHashMap<>();
        List<FoldingResult.Folded> folded = new ArrayList<>();
        List<FoldingResult.Unfolded> unfolded = new ArrayList<>();
        List<String> converted = new ArrayList<>();
        for (int index : net.topologicalSortOrder()) {
            String name = net.getVertices()[index].getVertexName();
            if (vertices.get(name) instanceof LayerVertex) {
                toDl4jEquivalent(((LayerVertex) vertices.get(name)).getLayerConf(), name, converted);
            }
        }

        for (int index : net.topologicalSortOrder()) {
            String name = net.getVertices()[index].getVertexName();
            GraphVertex vertex = vertices.get(name);
            if (!(vertex instanceof LayerVertex)) {
                continue;
            }
            String wrapper = NormalizationLayers.wrapperOfNormalization(net.getLayer(name));
            if (wrapper != null) {
                unfolded.add(new FoldingResult.Unfolded(name, "it is wrapped in " + wrapper));
            }
            if (!NormalizationLayers.isNormalization(net.getLayer(name))) {
                continue;
            }
            NormalizationLayers.Entry bn = new NormalizationLayers.Entry(name, net.getLayer(name));
            String reason = whyNotFoldable(conf, name, targets, net);
            if (reason == null) {
                String into = inputs.get(name).get(0);
                Target target = targets.computeIfAbsent(into, n -> new Target(n,
                        ((LayerVertex) vertices.get(n)).getLayerConf(), net.getLayer(n)));
                reason = whyNotFoldable(target, bn);
                if (reason == null) {
                    target.fold(bn);
                    rewire(conf, name, into);
                    folded.add(new FoldingResult.Folded(name, into));
                    continue;
                }
            }
            unfolded.add(new FoldingResult.Unfolded(name, reason));
        }
        conf.setTopologicalOrder(null);
        conf.setTopologicalOrderStr(null);

        ComputationGraph out = new ComputationGraph(conf);
        out.init();
        for (Layer layer : out.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            Target target = targets.get(name);
            if (target == null) {
                target = new Target(name, null, net.getLayer(name));
            }
            target.copyParams(layer);
        }
        return new FoldingResult<>(out, folded, unfolded, converted);
    }

    /** Graph conditions: one input, a layer vertex, no other consumer, no preprocessor. Null when they hold. */
    private static String whyNotFoldable(ComputationGraphConfiguration conf, String name,
                                         Map<String, Target> targets, ComputationGraph net) {
        List<String> in = conf.getVertexInputs().get(name);
        if (in == null || in.size() != 1) {
            return "it has " + (in == null ? 0 : in.size()) + " inputs";
        }
        String previous = in.get(0);
        if (conf.getNetworkInputs().contains(previous)) {
            return "it follows the network input \"" + previous + "\"";
        }
        GraphVertex prev = conf.getVertices().get(previous);
        if (!(prev instanceof LayerVertex)) {
            return "it follows vertex \"" + previous + "\" (" + prev.getClass().getSimpleName()
                    + "), not a ConvolutionLayer or DenseLayer";
        }
        if (((LayerVertex) conf.getVertices().get(name)).getPreProcessor() != null) {
            return "an input preprocessor (" + ((LayerVertex) conf.getVertices().get(name)).getPreProcessor()
                    .getClass().getSimpleName() + ") is between it and \"" + previous + "\"";
        }
        List<String> others = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
            if (!e.getKey().equals(name) && e.getValue().contains(previous)) {
                others.add("\"" + e.getKey() + "\"");
            }
        }
        if (conf.getNetworkOutputs().contains(previous)) {
            others.add("the network output");
        }
        if (!others.isEmpty()) {
            return "\"" + previous + "\" has other consumers: " + String.join(", ", others);
        }
        return null;
    }

    /** Layer conditions for folding {@code bn} into {@code target}. Null when they hold. */
    private static String whyNotFoldable(Target target, NormalizationLayers.Entry bn) {
        org.deeplearning4j.nn.conf.layers.Layer layer = target.conf.getLayer();
        Class<?> type = layer.getClass();
        if (type != ConvolutionLayer.class && type != DenseLayer.class) {
            return "it follows \"" + target.name + "\" (" + type.getSimpleName()
                    + "), not a ConvolutionLayer or DenseLayer";
        }
        IActivation activation = ((BaseLayer) layer).getActivationFn();
        if (activation != null && !(activation instanceof ActivationIdentity)) {
            return "\"" + target.name + "\" has activation " + activation
                    + ": only the output of a linear (identity) layer can absorb the normalization";
        }
        if (layer instanceof DenseLayer && ((DenseLayer) layer).hasLayerNorm()) {
            return "\"" + target.name + "\" uses layer normalization";
        }
        if (layer instanceof ConvolutionLayer) {
            CNN2DFormat convFormat = ((ConvolutionLayer) layer).getCnn2dDataFormat();
            CNN2DFormat bnFormat = bn.isBn4j() ? bn.bn4jConf().getDataFormat() : bn.dl4jConf().getCnn2DFormat();
            if (convFormat != null && convFormat != bnFormat) {
                return "\"" + target.name + "\" writes " + convFormat + " but the normalization reads " + bnFormat;
            }
        }
        long features = ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) layer).getNOut();
        if (features != bn.mean().length()) {
            return "\"" + target.name + "\" has " + features + " outputs, the normalization " + bn.mean().length()
                    + " features";
        }
        return null;
    }

    /** Replaces a {@link Dl4jEquivalentLayer} in {@code conf} (in place) by its DL4J class and notes its name. */
    private static void toDl4jEquivalent(NeuralNetConfiguration conf, String name, List<String> converted) {
        if (conf.getLayer() instanceof Dl4jEquivalentLayer) {
            conf.setLayer(((Dl4jEquivalentLayer) conf.getLayer()).toDl4jLayer());
            converted.add(name);
        }
    }

    /** Removes vertex {@code removed} and feeds its consumers (and the network outputs) from {@code into}. */
    private static void rewire(ComputationGraphConfiguration conf, String removed, String into) {
        conf.getVertices().remove(removed);
        conf.getVertexInputs().remove(removed);
        for (List<String> in : conf.getVertexInputs().values()) {
            in.replaceAll(v -> v.equals(removed) ? into : v);
        }
        conf.getNetworkOutputs().replaceAll(v -> v.equals(removed) ? into : v);
    }

    private static String name(NeuralNetConfiguration conf, int index) {
        String name = conf.getLayer().getLayerName();
        return name == null ? "layer" + index : name;
    }

    /** A layer of the new network: its configuration, the old layer, and folded W, b when a fold changed them. */
    private static final class Target {
        final String name;
        final NeuralNetConfiguration conf;
        final Layer old;
        INDArray weights;
        INDArray bias;

        Target(String name, NeuralNetConfiguration conf, Layer old) {
            this.name = name;
            this.conf = conf;
            this.old = old;
        }

        /** W' = W·s, b' = (b − E[x])·s + β with s = γ/√(Var[x]+ε), in double; the activation moves here. */
        void fold(NormalizationLayers.Entry bn) {
            long features = bn.mean().length();
            if (weights == null) {
                weights = old.getParam("W").castTo(DataType.DOUBLE).dup('c');
                INDArray b = old.getParam("b");
                bias = b == null ? org.nd4j.linalg.factory.Nd4j.zeros(DataType.DOUBLE, features)
                        : b.castTo(DataType.DOUBLE).reshape(features).dup();
            }
            INDArray variance = bn.variance().castTo(DataType.DOUBLE).reshape(features);
            INDArray scale = BatchNormKernels.invStd(variance, bn.eps())
                    .muli(bn.gammaValues(features).castTo(DataType.DOUBLE).reshape(features));
            INDArray mean = bn.mean().castTo(DataType.DOUBLE).reshape(features);
            INDArray beta = bn.betaValues(features).castTo(DataType.DOUBLE).reshape(features);
            if (conf.getLayer() instanceof ConvolutionLayer) {
                // W [nOut, nIn, kH, kW] in C order: each output channel's weights are one row of [nOut, rest].
                long[] shape = weights.shape();
                weights = weights.reshape('c', features, weights.length() / features)
                        .muliColumnVector(scale.reshape(features, 1)).reshape('c', shape);
            } else {
                weights.muliRowVector(scale.reshape(1, features));
            }
            bias.subi(mean).muli(scale).addi(beta);

            BaseLayer layer = (BaseLayer) conf.getLayer();
            layer.setActivationFn(bn.isBn4j() && bn.bn4jConf().getActivationFn() != null
                    ? bn.bn4jConf().getActivationFn() : new ActivationIdentity());
            if (layer instanceof ConvolutionLayer) {
                ((ConvolutionLayer) layer).setHasBias(true);
            } else {
                ((DenseLayer) layer).setHasBias(true);
            }
        }

        void copyParams(Layer target) {
            for (Map.Entry<String, INDArray> e : target.paramTable().entrySet()) {
                INDArray value;
                if (weights != null && e.getKey().equals("W")) {
                    value = weights;
                } else if (weights != null && e.getKey().equals("b")) {
                    value = bias;
                } else {
                    value = old.getParam(e.getKey());
                }
                e.getValue().assign(value.reshape(e.getValue().shape()).castTo(e.getValue().dataType()));
            }
        }
    }
}
