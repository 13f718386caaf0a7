package org.bn4j;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.adapter.SingletonDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;

import static org.bn4j.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Population statistics follow the paper under DL4J's own training loops, are untouched by the learning rate, and
 * never change outside {@code fit}.
 */
class PopulationStatisticsDuringFitTest {

    @Test
    void multiLayerNetworkFitKeepsAnExactMovingAverageOfUnbiasedBatchStatistics() {
        MultiLayerNetwork net = denseNet(new BatchNorm.Builder().decay(0.8).build(), new Adam(0.5));
        List<DataSet> batches = batches(4, 6);
        INDArray expectedMean = Nd4j.zeros(DataType.DOUBLE, 3);
        INDArray expectedVar = Nd4j.ones(DataType.DOUBLE, 3);
        for (DataSet batch : batches) {
            // The BN input is the dense layer's output before this step's update changes its weights.
            INDArray bnInput = net.feedForward(batch.getFeatures(), false).get(1);
            expectedMean.muli(0.8).addi(bnInput.mean(0).muli(0.2));
            expectedVar.muli(0.8).addi(bnInput.var(true, 0).muli(0.2));
            net.fit(batch);
        }
        assertClose(expectedMean, net.getLayer(1).getParam(BatchNorm.MEAN), 1e-10);
        assertClose(expectedVar, net.getLayer(1).getParam(BatchNorm.VAR), 1e-10);
    }

    @Test
    void computationGraphFitKeepsAnExactCumulativeAverage() {
        ComputationGraph graph = convGraph(new BatchNorm.Builder().cumulativeAverage().build());
        List<DataSet> batches = convBatches(3);
        INDArray sumMean = Nd4j.zeros(DataType.DOUBLE, 2);
        INDArray sumVar = Nd4j.zeros(DataType.DOUBLE, 2);
        for (DataSet batch : batches) {
            INDArray bnInput = graph.feedForward(batch.getFeatures(), false).get("conv");
            sumMean.addi(bnInput.mean(0, 2, 3));
            sumVar.addi(bnInput.var(true, 0, 2, 3));
            graph.fit(batch);
        }
        assertClose(sumMean.divi(3), graph.getLayer("bn").getParam(BatchNorm.MEAN), 1e-10);
        assertClose(sumVar.divi(3), graph.getLayer("bn").getParam(BatchNorm.VAR), 1e-10);
        assertEquals(3.0, graph.getLayer("bn").getParam(BatchNorm.COUNT).getDouble(0));
    }

    @Test
    void outputScoringAndEvaluationNeverChangePopulationStatistics() {
        MultiLayerNetwork net = denseNet(new BatchNorm.Builder().build(), new Sgd(0.1));
        List<DataSet> batches = batches(2, 6);
        net.fit(batches.get(0));
        INDArray before = net.params().dup();
        DataSet other = batches.get(1);
        net.output(other.getFeatures());
        net.output(other.getFeatures(), true);
        net.feedForward(other.getFeatures(), true);
        net.score(other, true);
        DataSetIterator it = new SingletonDataSetIterator(other);
        net.evaluate(it);
        assertEquals(before, net.params());
    }

    @Test
    void learningRateAndUpdaterDoNotScaleTheStatisticsUpdate() {
        MultiLayerNetwork slow = denseNet(new BatchNorm.Builder().decay(0.5).build(), new Sgd(1e-9));
        MultiLayerNetwork fast = denseNet(new BatchNorm.Builder().decay(0.5).build(), new Adam(1.0));
        DataSet batch = batches(1, 6).get(0);
        slow.fit(batch);
        fast.fit(batch);
        assertClose(slow.getLayer(1).getParam(BatchNorm.MEAN), fast.getLayer(1).getParam(BatchNorm.MEAN), 1e-12);
        assertClose(slow.getLayer(1).getParam(BatchNorm.VAR), fast.getLayer(1).getParam(BatchNorm.VAR), 1e-12);
    }

    private static MultiLayerNetwork denseNet(BatchNorm bn, org.nd4j.linalg.learning.config.IUpdater updater) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(9)
                .updater(updater).l2(0.1).list()
                .layer(new DenseLayer.Builder().nOut(3).activation(Activation.IDENTITY).build())
                .layer(bn)
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(4)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static ComputationGraph convGraph(BatchNorm bn) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(4)
                .updater(new Adam(0.1)).graphBuilder().addInputs("in")
                .addLayer("conv", new ConvolutionLayer.Builder(2, 2).nOut(2).activation(Activation.IDENTITY).build(),
                        "in")
                .addLayer("bn", bn, "conv")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "bn")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out").setInputTypes(InputType.convolutional(4, 4, 1)).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    private static List<DataSet> batches(int count, int size) {
        Nd4j.getRandom().setSeed(31);
        List<DataSet> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            INDArray x = Nd4j.randn(DataType.DOUBLE, size, 4).muli(2).addi(i);
            INDArray y = Nd4j.zeros(DataType.DOUBLE, size, 2);
            for (int r = 0; r < size; r++) {
                y.putScalar(r, r % 2, 1);
            }
            out.add(new DataSet(x, y));
        }
        return out;
    }

    private static List<DataSet> convBatches(int count) {
        Nd4j.getRandom().setSeed(8);
        List<DataSet> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            INDArray x = Nd4j.randn(DataType.DOUBLE, 5, 1, 4, 4).addi(3);
            INDArray y = Nd4j.zeros(DataType.DOUBLE, 5, 2);
            for (int r = 0; r < 5; r++) {
                y.putScalar(r, (r + i) % 2, 1);
            }
            out.add(new DataSet(x, y));
        }
        return out;
    }
}
