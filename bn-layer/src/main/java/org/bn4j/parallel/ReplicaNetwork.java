package org.bn4j.parallel;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The calls {@link ParallelTrainer} makes on a {@link ComputationGraph} or a {@link MultiLayerNetwork}, one
 * implementation each (internal).
 */
abstract class ReplicaNetwork {

    static ReplicaNetwork of(Model model) {
        if (model instanceof ComputationGraph graph) {
            return new Graph(graph);
        }
        if (model instanceof MultiLayerNetwork network) {
            return new MultiLayer(network);
        }
        throw new IllegalArgumentException("ParallelTrainer trains a ComputationGraph or a MultiLayerNetwork, not a "
                + (model == null ? "null model" : model.getClass().getName()));
    }

    /**
     * A new, initialized network from {@link #configurationJson()} of a network of the given kind (a replica
     * process's copy; its parameters are overwritten every step).
     */
    static ReplicaNetwork fromConfiguration(boolean graph, String json) {
        if (graph) {
            ComputationGraph network = new ComputationGraph(
                    org.deeplearning4j.nn.conf.ComputationGraphConfiguration.fromJson(json));
            network.init();
            return new Graph(network);
        }
        MultiLayerNetwork network = new MultiLayerNetwork(
                org.deeplearning4j.nn.conf.MultiLayerConfiguration.fromJson(json));
        network.init();
        return new MultiLayer(network);
    }

    abstract Model model();

    /** Whether this is a ComputationGraph (else a MultiLayerNetwork). */
    abstract boolean isGraph();

    /** The network's configuration as DL4J's JSON. */
    abstract String configurationJson();

    /** A new network of the same configuration whose parameters are this network's (the same array, not a copy). */
    abstract ReplicaNetwork replicaSharingParameters();

    /** Forward and backward pass of {@code shard} in training mode, leaving the gradient in {@link #gradients()}. */
    abstract void computeGradient(MultiDataSet shard);

    /** One {@code fit} call on {@code shard}: gradient, listeners, updater and step. */
    abstract void fit(MultiDataSet shard);

    abstract Layer[] layers();

    abstract int iterationCount();

    abstract int epochCount();

    abstract void setCounts(int iteration, int epoch);

    abstract void incrementEpochCount();

    abstract void setScore(double score);

    final double score() {
        return model().score();
    }

    final INDArray parameters() {
        return model().params();
    }

    /** The flat gradient array that every layer's gradient is a view of. */
    final INDArray gradients() {
        return model().getGradientsViewArray();
    }

    /** Whether the updater divides gradients by the mini-batch size ({@code miniBatch(true)}, DL4J's default). */
    final boolean dividesByMiniBatch() {
        Layer[] layers = layers();
        return layers.length == 0 || layers[0].conf().isMiniBatch();
    }

    /** Puts {@code first} before the network's own listeners (it must see the gradient before any other does). */
    final void addFirstListener(TrainingListener first) {
        List<TrainingListener> all = new ArrayList<>();
        all.add(first);
        all.addAll(listeners());
        setListeners(all);
    }

    final void removeListener(TrainingListener listener) {
        List<TrainingListener> rest = new ArrayList<>(listeners());
        rest.remove(listener);
        setListeners(rest);
    }

    abstract Collection<TrainingListener> listeners();

    abstract void setListeners(Collection<TrainingListener> listeners);

    abstract void onEpochStart();

    abstract void onEpochEnd();

    private static final class Graph extends ReplicaNetwork {
        private final ComputationGraph graph;

        Graph(ComputationGraph graph) {
            this.graph = graph;
        }

        @Override
        Model model() {
            return graph;
        }

        @Override
        boolean isGraph() {
            return true;
        }

        @Override
        String configurationJson() {
            return graph.getConfiguration().toJson();
        }

        @Override
        ReplicaNetwork replicaSharingParameters() {
            ComputationGraph replica = new ComputationGraph(graph.getConfiguration().clone());
            replica.init(graph.params(), false);
            replica.initGradientsView();
            return new Graph(replica);
        }

        @Override
        void computeGradient(MultiDataSet shard) {
            graph.setInputs(shard.getFeatures());
            graph.setLabels(shard.getLabels());
            graph.setLayerMaskArrays(shard.getFeaturesMaskArrays(), shard.getLabelsMaskArrays());
            try {
                graph.computeGradientAndScore();
            } finally {
                graph.clearLayerMaskArrays();
            }
        }

        @Override
        void fit(MultiDataSet shard) {
            graph.fit(shard.getFeatures(), shard.getLabels(), shard.getFeaturesMaskArrays(),
                    shard.getLabelsMaskArrays());
        }

        @Override
        Layer[] layers() {
            return graph.getLayers();
        }

        @Override
        int iterationCount() {
            return graph.getIterationCount();
        }

        @Override
        int epochCount() {
            return graph.getEpochCount();
        }

        @Override
        void setCounts(int iteration, int epoch) {
            graph.getConfiguration().setIterationCount(iteration);
            graph.getConfiguration().setEpochCount(epoch);
        }

        @Override
        void incrementEpochCount() {
            graph.incrementEpochCount();
        }

        @Override
        void setScore(double score) {
            graph.setScore(score);
        }

        @Override
        Collection<TrainingListener> listeners() {
            return graph.getListeners() == null ? List.of() : graph.getListeners();
        }

        @Override
        void setListeners(Collection<TrainingListener> listeners) {
            graph.setListeners(listeners);
        }

        @Override
        void onEpochStart() {
            listeners().forEach(l -> l.onEpochStart(graph));
        }

        @Override
        void onEpochEnd() {
            listeners().forEach(l -> l.onEpochEnd(graph));
        }
    }

    private static final class MultiLayer extends ReplicaNetwork {
        private final MultiLayerNetwork network;

        MultiLayer(MultiLayerNetwork network) {
            this.network = network;
        }

        @Override
        Model model() {
            return network;
        }

        @Override
        boolean isGraph() {
            return false;
        }

        @Override
        String configurationJson() {
            return network.getLayerWiseConfigurations().toJson();
        }

        @Override
        ReplicaNetwork replicaSharingParameters() {
            MultiLayerNetwork replica = new MultiLayerNetwork(network.getLayerWiseConfigurations().clone());
            replica.init(network.params(), false);
            replica.initGradientsView();
            return new MultiLayer(replica);
        }

        @Override
        void computeGradient(MultiDataSet shard) {
            checkSingle(shard);
            network.setInput(shard.getFeatures(0));
            network.setLabels(shard.getLabels(0));
            network.setLayerMaskArrays(mask(shard.getFeaturesMaskArrays()), mask(shard.getLabelsMaskArrays()));
            try {
                network.computeGradientAndScore();
            } finally {
                network.clearLayerMaskArrays();
            }
        }

        @Override
        void fit(MultiDataSet shard) {
            checkSingle(shard);
            network.fit(shard.getFeatures(0), shard.getLabels(0), mask(shard.getFeaturesMaskArrays()),
                    mask(shard.getLabelsMaskArrays()));
        }

        private static void checkSingle(MultiDataSet shard) {
            if (shard.numFeatureArrays() != 1 || shard.numLabelsArrays() != 1) {
                throw new IllegalArgumentException("ParallelTrainer: a MultiLayerNetwork takes one features and one "
                        + "labels array, got " + shard.numFeatureArrays() + " and " + shard.numLabelsArrays());
            }
        }

        private static INDArray mask(INDArray[] masks) {
            return masks == null ? null : masks[0];
        }

        @Override
        Layer[] layers() {
            return network.getLayers();
        }

        @Override
        int iterationCount() {
            return network.getIterationCount();
        }

        @Override
        int epochCount() {
            return network.getEpochCount();
        }

        @Override
        void setCounts(int iteration, int epoch) {
            network.getLayerWiseConfigurations().setIterationCount(iteration);
            network.getLayerWiseConfigurations().setEpochCount(epoch);
        }

        @Override
        void incrementEpochCount() {
            network.incrementEpochCount();
        }

        @Override
        void setScore(double score) {
            network.setScore(score);
        }

        @Override
        Collection<TrainingListener> listeners() {
            return network.getListeners() == null ? List.of() : network.getListeners();
        }

        @Override
        void setListeners(Collection<TrainingListener> listeners) {
            network.setListeners(listeners);
        }

        @Override
        void onEpochStart() {
            listeners().forEach(l -> l.onEpochStart(network));
        }

        @Override
        void onEpochEnd() {
            listeners().forEach(l -> l.onEpochEnd(network));
        }
    }
}
