package org.bn4j.inception.monitor;

import org.bn4j.inception.UserError;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link LayerInputs} of a {@link MultiLayerNetwork}: the input of layer {@code i} is the output of layer
 * {@code i − 1} (before layer {@code i}'s preprocessor; the network input for layer 0). The layers run one by one in
 * inference mode only as far as the deepest monitored layer, and each monitored input is copied before the next
 * layer runs: DL4J's ActivationLayer applies its function in place at inference, which would otherwise overwrite
 * the very pre-activation being watched. A target names its layer by layer name or by index.
 */
final class MultiLayerInputs implements LayerInputs {

    private final MultiLayerNetwork network;
    private final Map<MonitorTarget, Integer> layerIndex = new LinkedHashMap<>();
    private final int deepest;

    MultiLayerInputs(MultiLayerNetwork network, List<MonitorTarget> targets) {
        this.network = network;
        int max = 0;
        for (MonitorTarget target : targets) {
            int index = resolve(target.layer());
            layerIndex.put(target, index);
            max = Math.max(max, index);
        }
        this.deepest = max;
    }

    @Override
    public Map<MonitorTarget, INDArray> read(INDArray features) {
        LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();
        Map<Integer, INDArray> saved = new HashMap<>();
        INDArray current = features.dup();
        long batchSize = features.size(0);
        for (int i = 0; ; i++) {
            if (layerIndex.containsValue(i)) {
                saved.put(i, current.dup());
            }
            if (i == deepest) {
                break;
            }
            InputPreProcessor preProcessor = network.getLayerWiseConfigurations().getInputPreProcess(i);
            if (preProcessor != null) {
                current = preProcessor.preProcess(current, (int) batchSize, workspaces);
            }
            current = network.getLayer(i).activate(current, false, workspaces);
        }
        network.clearLayersStates();
        Map<MonitorTarget, INDArray> inputs = new LinkedHashMap<>();
        layerIndex.forEach((target, index) -> inputs.put(target, saved.get(index)));
        return inputs;
    }

    private int resolve(String layer) {
        Layer[] layers = network.getLayers();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            String name = layers[i].conf().getLayer().getLayerName();
            if (layer.equals(name)) {
                return i;
            }
            names.add(i + "=" + name);
        }
        try {
            int index = Integer.parseInt(layer);
            if (index >= 0 && index < layers.length) {
                return index;
            }
        } catch (NumberFormatException ignored) {
            // not an index either: fall through to the error listing the layers
        }
        throw new UserError("the network has no layer \"" + layer + "\"; layers (index=name): "
                + names);
    }
}
