package org.bn4j.inception.monitor;

import org.bn4j.inception.UserError;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link LayerInputs} of a single-input {@link ComputationGraph}: the input of a vertex is the output of its input
 * vertex (or the network input). The vertices run one by one in topological order, in inference mode, only until
 * every needed output is known, and each needed output is copied as soon as it is computed: DL4J's ActivationLayer
 * applies its function in place at inference and would otherwise overwrite it. A vertex with several inputs (a
 * merge) gets them concatenated along dimension 1 in configuration order, so units index the merged channels.
 */
final class GraphInputs implements LayerInputs {

    private final ComputationGraph graph;
    private final Map<MonitorTarget, List<String>> inputsOf = new LinkedHashMap<>();
    private final Set<String> needed = new LinkedHashSet<>();

    GraphInputs(ComputationGraph graph, List<MonitorTarget> targets) {
        this.graph = graph;
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (conf.getNetworkInputs().size() != 1) {
            throw new UserError("can monitor a graph with one input, this one has "
                    + conf.getNetworkInputs());
        }
        for (MonitorTarget target : targets) {
            List<String> inputs = conf.getVertexInputs().get(target.layer());
            if (inputs == null || inputs.isEmpty()) {
                throw new UserError("the graph has no vertex \"" + target.layer()
                        + "\" with an input; vertices: " + conf.getVertexInputs().keySet());
            }
            inputsOf.put(target, List.copyOf(inputs));
            needed.addAll(inputs);
        }
    }

    @Override
    public Map<MonitorTarget, INDArray> read(INDArray features) {
        Map<String, INDArray> saved = forwardUntilKnown(features);
        Map<MonitorTarget, INDArray> result = new LinkedHashMap<>();
        inputsOf.forEach((target, inputs) -> {
            INDArray[] parts = inputs.stream().map(saved::get).toArray(INDArray[]::new);
            result.put(target, parts.length == 1 ? parts[0] : Nd4j.concat(1, parts));
        });
        return result;
    }

    private Map<String, INDArray> forwardUntilKnown(INDArray features) {
        LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();
        GraphVertex[] vertices = graph.getVertices();
        INDArray[] outputs = new INDArray[vertices.length];
        Map<String, INDArray> saved = new HashMap<>();
        try {
            for (int index : graph.topologicalSortOrder()) {
                GraphVertex vertex = vertices[index];
                INDArray out;
                if (vertex.isInputVertex()) {
                    out = features.dup();
                } else {
                    VertexIndices[] inputs = vertex.getInputVertices();
                    for (int j = 0; j < inputs.length; j++) {
                        vertex.setInput(j, outputs[inputs[j].getVertexIndex()], workspaces);
                    }
                    out = vertex.doForward(false, workspaces);
                }
                outputs[index] = out;
                if (needed.contains(vertex.getVertexName())) {
                    saved.put(vertex.getVertexName(), out.dup());
                    if (saved.size() == needed.size()) {
                        break;
                    }
                }
            }
        } finally {
            graph.clearLayersStates();
        }
        return saved;
    }
}
