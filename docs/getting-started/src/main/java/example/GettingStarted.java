package example;

import org.bn4j.BatchNorm;
import org.bn4j.conv.FastConvolution;
import org.bn4j.deploy.BatchNormFolding;
import org.bn4j.deploy.FoldingResult;
import org.bn4j.statistics.PopulationStatistics;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;

/** bn4j in a few lines: train with batch normalization, estimate population statistics, fold for deployment. */
public class GettingStarted {

    public static void main(String[] args) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(42).updater(new Adam(1e-3)).list()
                .layer(new FastConvolution.Builder(3, 3).nOut(8).hasBias(false).activation(Activation.IDENTITY)
                        .build())
                .layer(new BatchNorm.Builder().activation(Activation.RELU).build())    // per channel
                .layer(new DenseLayer.Builder().nOut(16).activation(Activation.IDENTITY).build())
                .layer(new BatchNorm.Builder().activation(Activation.RELU).build())    // per feature
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(12, 12, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();

        List<DataSet> batches = new ArrayList<>();
        for (int b = 0; b < 4; b++) {
            INDArray x = Nd4j.rand(16, 1, 12, 12);
            INDArray y = Nd4j.zeros(16, 3);
            for (int i = 0; i < 16; i++) {
                y.putScalar(i, (b + i) % 3, 1.0);
            }
            batches.add(new DataSet(x, y));
        }
        ExistingDataSetIterator train = new ExistingDataSetIterator(batches);
        net.fit(train, 2);
        PopulationStatistics.estimate(net, train, 4);     // the paper's Algorithm 2

        FoldingResult<MultiLayerNetwork> folded = BatchNormFolding.fold(net);   // only DL4J classes left
        INDArray x = batches.get(0).getFeatures();
        double difference = net.output(x).sub(folded.network().output(x)).amaxNumber().doubleValue();
        System.out.print(folded.report());
        System.out.println("max |output difference| after folding: " + difference);
        boolean plain = !folded.network().getLayerWiseConfigurations().toJson().contains("org.bn4j");
        System.out.println(folded.isFullyFolded() && plain && difference < 1e-4
                ? "bn4j getting-started: OK" : "bn4j getting-started: FAILED");
    }
}
