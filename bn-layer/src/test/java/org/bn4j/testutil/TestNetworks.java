package org.bn4j.testutil;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/** Small networks and mini-batches for tests of population statistics and the tools around them. */
public final class TestNetworks {

    private TestNetworks() {
    }

    /** A MultiLayerNetwork of {@code layers} in data type {@code type}, initialized. */
    public static MultiLayerNetwork network(DataType type, org.deeplearning4j.nn.conf.layers.Layer... layers) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().dataType(type).list();
        for (org.deeplearning4j.nn.conf.layers.Layer layer : layers) {
            list.layer(layer);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    /** An iterator over the mini-batches {@code batches} (features), with zero labels. */
    public static ExistingDataSetIterator iterator(INDArray... batches) {
        List<DataSet> list = new ArrayList<>();
        for (INDArray x : batches) {
            list.add(new DataSet(x, Nd4j.zeros(x.dataType(), x.size(0), 1)));
        }
        return new ExistingDataSetIterator(list);
    }

    /** A dense mini-batch of one feature: {@code values} as a column {@code [n, 1]}. */
    public static INDArray column(double... values) {
        return Nd4j.createFromArray(values).reshape(values.length, 1);
    }
}
