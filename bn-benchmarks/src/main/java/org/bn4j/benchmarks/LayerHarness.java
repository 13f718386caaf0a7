package org.bn4j.benchmarks;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Drives one DL4J layer as {@code MultiLayerNetwork.fit} does: {@code setInput}, {@code activate(training)},
 * {@code backpropGradient}, with a {@link LayerWorkspaceMgr} whose activations, gradients and working memory live in
 * one cyclic workspace opened and closed around every call (no allocation in steady state). Shared by the layer
 * benchmarks.
 */
final class LayerHarness {

    private LayerHarness() {
    }

    /** Workspaces for every array type but the input, in one cyclic workspace named {@code name}. */
    static LayerWorkspaceMgr cyclicWorkspaces(String name) {
        WorkspaceConfiguration cyclic = WorkspaceConfiguration.builder().initialSize(0).overallocationLimit(0.05)
                .policyLearning(LearningPolicy.FIRST_LOOP).policyReset(ResetPolicy.BLOCK_LEFT)
                .policySpill(SpillPolicy.REALLOCATE).policyAllocation(AllocationPolicy.OVERALLOCATE).build();
        return LayerWorkspaceMgr.builder().defaultWorkspace(name, cyclic).noWorkspaceFor(ArrayType.INPUT).build();
    }

    /** The initialized float32 layer of a one-layer network for {@code conf} and {@code inputType}. */
    static Layer layer(org.deeplearning4j.nn.conf.layers.Layer conf, InputType inputType) {
        return layer(conf, inputType, DataType.FLOAT);
    }

    /** The initialized layer of a one-layer network of data type {@code type} for {@code conf} and {@code inputType}. */
    static Layer layer(org.deeplearning4j.nn.conf.layers.Layer conf, InputType inputType, DataType type) {
        MultiLayerConfiguration mlc = new NeuralNetConfiguration.Builder().dataType(type).seed(1).list()
                .layer(conf).setInputType(inputType).build();
        MultiLayerNetwork net = new MultiLayerNetwork(mlc);
        net.init();
        if (net.numParams() > 0) {
            net.initGradientsView();
        }
        return net.getLayer(0);
    }

    /** One training step of {@code layer}: forward in training mode, then backward of {@code dy}. */
    static void train(Layer layer, INDArray x, INDArray dy, LayerWorkspaceMgr workspaces, Blackhole bh) {
        try (MemoryWorkspace ws = workspaces.notifyScopeEntered(ArrayType.ACTIVATIONS)) {
            layer.setInput(x, workspaces);
            bh.consume(layer.activate(true, workspaces));
            Pair<Gradient, INDArray> gradient = layer.backpropGradient(dy, workspaces);
            bh.consume(gradient.getSecond());
            bh.consume(gradient.getFirst());
        }
        layer.clear();
    }

    /** One inference forward of {@code layer}. */
    static void infer(Layer layer, INDArray x, LayerWorkspaceMgr workspaces, Blackhole bh) {
        try (MemoryWorkspace ws = workspaces.notifyScopeEntered(ArrayType.ACTIVATIONS)) {
            layer.setInput(x, workspaces);
            bh.consume(layer.activate(false, workspaces));
        }
        layer.clear();
    }
}
