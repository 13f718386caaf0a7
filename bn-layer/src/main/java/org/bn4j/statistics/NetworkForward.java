package org.bn4j.statistics;

import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.function.Supplier;

/**
 * The one place where Algorithm 2 ({@link PopulationStatistics}) tells a {@link MultiLayerNetwork} from a
 * {@link ComputationGraph}: the network's batch-normalization layers, what its input must look like, and one forward
 * pass over the inputs of a mini-batch (one array per network input; a MultiLayerNetwork has one).
 *
 * <p>After {@link #checkingFirstBatch()}, the next forward pass first checks its inputs against the network's
 * {@link InputExpectation}, so that a mini-batch that does not fit is reported in the user's terms.
 */
abstract class NetworkForward {

    private final String kind;
    private final int inputs;
    private final List<NormalizationLayers.Entry> layers;
    private final InputExpectation expectation;
    /** What the next forward pass checks its inputs against; null when nothing is left to check. */
    private InputExpectation firstBatch;

    private NetworkForward(String kind, int inputs, List<NormalizationLayers.Entry> layers,
                           InputExpectation expectation) {
        this.kind = kind;
        this.inputs = inputs;
        this.layers = layers;
        this.expectation = expectation;
    }

    /** The forward pass of {@code net}, which must be a {@link MultiLayerNetwork} or a {@link ComputationGraph}. */
    static NetworkForward of(NeuralNetwork net) {
        if (net instanceof MultiLayerNetwork) {
            return new Layers((MultiLayerNetwork) net);
        }
        if (net instanceof ComputationGraph) {
            return new Graph((ComputationGraph) net);
        }
        throw new IllegalArgumentException("population statistics need a MultiLayerNetwork or a ComputationGraph, got "
                + (net == null ? "null" : net.getClass().getName()));
    }

    /** "MultiLayerNetwork" or "ComputationGraph", for messages. */
    final String kind() {
        return kind;
    }

    /** Number of input arrays per mini-batch. */
    final int inputs() {
        return inputs;
    }

    /** The network's batch-normalization layers, in network order. */
    final List<NormalizationLayers.Entry> layers() {
        return layers;
    }

    /** Checks the inputs of the next forward pass against what the network expects. */
    final void checkingFirstBatch() {
        firstBatch = expectation;
    }

    /** A forward pass over one mini-batch's inputs, the whole network in training mode or not. */
    final void forward(INDArray[] inputs, boolean training) {
        if (firstBatch == null) {
            run(inputs, training);
            return;
        }
        firstBatch.runFirst(inputs[0], () -> run(inputs, training));
        firstBatch = null;
    }

    /**
     * Runs {@code body}, which does forward passes, then clears the layers' states (their inputs, kept for backprop)
     * and puts back the network's input.
     */
    abstract <R> R restoring(Supplier<R> body);

    abstract void run(INDArray[] inputs, boolean training);

    private static final class Layers extends NetworkForward {
        private final MultiLayerNetwork net;

        Layers(MultiLayerNetwork net) {
            super("MultiLayerNetwork", 1, NormalizationLayers.of(net), InputExpectation.of(net));
            this.net = net;
        }

        @Override
        void run(INDArray[] inputs, boolean training) {
            if (inputs.length != 1) {
                throw new IllegalArgumentException("a MultiLayerNetwork has one input, but the mini-batch has "
                        + inputs.length + " feature arrays");
            }
            net.setInput(inputs[0]);
            net.feedForward(training, false);
        }

        @Override
        <R> R restoring(Supplier<R> body) {
            INDArray savedInput = net.getInput();
            try {
                return body.get();
            } finally {
                net.clearLayersStates();
                net.setInput(savedInput);
            }
        }
    }

    private static final class Graph extends NetworkForward {
        private final ComputationGraph net;

        Graph(ComputationGraph net) {
            super("ComputationGraph", net.getNumInputArrays(), NormalizationLayers.of(net), InputExpectation.of(net));
            this.net = net;
        }

        @Override
        void run(INDArray[] inputs, boolean training) {
            net.feedForward(inputs, training, false);
        }

        @Override
        <R> R restoring(Supplier<R> body) {
            INDArray[] savedInputs = net.getInputs();
            try {
                return body.get();
            } finally {
                net.clearLayersStates();
                net.setInputs(savedInputs);
            }
        }
    }
}
