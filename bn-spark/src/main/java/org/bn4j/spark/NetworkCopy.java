package org.bn4j.spark;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;

/**
 * What an executor needs to rebuild a network: its configuration as JSON and its flattened parameters (broadcast
 * once per executor). The rebuilt network gets its own copy of the parameters, so tasks running in one JVM never
 * share one.
 */
final class NetworkCopy implements Serializable {

    private static final long serialVersionUID = 1L;

    private final boolean graph;
    private final String configuration;
    private final INDArray params;

    private NetworkCopy(boolean graph, String configuration, INDArray params) {
        this.graph = graph;
        this.configuration = configuration;
        this.params = params;
    }

    static NetworkCopy of(MultiLayerNetwork net) {
        return new NetworkCopy(false, net.getLayerWiseConfigurations().toJson(), net.params().dup());
    }

    static NetworkCopy of(ComputationGraph net) {
        return new NetworkCopy(true, net.getConfiguration().toJson(), net.params().dup());
    }

    MultiLayerNetwork multiLayerNetwork() {
        if (graph) {
            throw new IllegalStateException("this is a copy of a ComputationGraph");
        }
        MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configuration));
        net.init(params, true);
        return net;
    }

    ComputationGraph computationGraph() {
        if (!graph) {
            throw new IllegalStateException("this is a copy of a MultiLayerNetwork");
        }
        ComputationGraph net = new ComputationGraph(ComputationGraphConfiguration.fromJson(configuration));
        net.init(params, true);
        return net;
    }
}
