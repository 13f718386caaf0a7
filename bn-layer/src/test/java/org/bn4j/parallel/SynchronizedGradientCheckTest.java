package org.bn4j.parallel;

import org.bn4j.BatchNorm;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gradient check of synchronized BN across replicas, in double: the gradient a {@link ParallelTrainer} hands to the
 * updater (the replicas' gradients summed, with the batch statistics of the whole mini-batch) is compared entry by
 * entry with central finite differences of the whole mini-batch's training loss, {@code N·score(batch, training)},
 * computed by one network. Shards are uneven (7 examples over 3 replicas) so that the shard weighting is checked too.
 */
class SynchronizedGradientCheckTest {

    private static final double EPS = 1e-6;

    static MultiLayerConfiguration network(String kind, CNN2DFormat format) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(11).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER).list();
        if (kind.equals("conv")) {
            list.layer(new ConvolutionLayer.Builder(2, 2).nOut(3).dataFormat(format).activation(Activation.IDENTITY)
                            .build())
                    .layer(new BatchNorm.Builder().activation(Activation.RELU).build())
                    .setInputType(InputType.convolutional(4, 4, 2, format));
        } else {
            list.layer(new DenseLayer.Builder().nOut(4).activation(Activation.IDENTITY).build())
                    .layer(new BatchNorm.Builder().activation(Activation.TANH).build())
                    .setInputType(InputType.feedForward(3));
        }
        return list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                .activation(Activation.SOFTMAX).build()).build();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"dense, NCHW", "conv, NCHW", "conv, NHWC"})
    void replicatedGradientEqualsFiniteDifferencesOfTheWholeBatchLoss(String kind, CNN2DFormat format) {
        int n = 7;
        int replicas = 3;
        Nd4j.getRandom().setSeed(21);
        INDArray x = kind.equals("conv")
                ? Nd4j.randn(DataType.DOUBLE, format == CNN2DFormat.NCHW ? new long[] {n, 2, 4, 4}
                        : new long[] {n, 4, 4, 2})
                : Nd4j.randn(DataType.DOUBLE, n, 3);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, n, 3);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        DataSet batch = new DataSet(x, y);

        MultiLayerNetwork parallel = new MultiLayerNetwork(network(kind, format));
        parallel.init();
        MultiLayerNetwork reference = new MultiLayerNetwork(network(kind, format));
        reference.init(parallel.params().dup(), true);

        INDArray[] seen = new INDArray[1];
        parallel.setListeners(new BaseTrainingListener() {
            @Override
            public void onGradientCalculation(Model model) {
                seen[0] = model.getGradientsViewArray().dup();     // after the trainer's reduction
            }
        });
        try (ParallelTrainer trainer = ParallelTrainer.builder(parallel).replicas(replicas).build()) {
            trainer.fit(batch);
        }
        // The reduction scales by n₀/N for the updater's division by n₀: undo it to get d(Σ loss)/dθ.
        int shard0 = Shards.sizes(n, replicas)[0];
        INDArray analytic = seen[0].reshape(seen[0].length()).mul((double) n / shard0);

        INDArray params = reference.params();
        int checked = 0;
        double worst = 0;
        for (org.deeplearning4j.nn.api.Layer layer : reference.getLayers()) {
            for (var entry : layer.paramTable().entrySet()) {
                if (!layer.updaterDivideByMinibatch(entry.getKey())) {
                    continue;                                   // population statistics: not a gradient
                }
                long start = entry.getValue().offset() - params.offset();
                for (long i = start; i < start + entry.getValue().length(); i++) {
                    double original = params.getDouble(i);
                    params.putScalar(i, original + EPS);
                    double plus = n * reference.score(batch, true);
                    params.putScalar(i, original - EPS);
                    double minus = n * reference.score(batch, true);
                    params.putScalar(i, original);
                    double numeric = (plus - minus) / (2 * EPS);
                    double a = analytic.getDouble(i);
                    double relative = Math.abs(a - numeric) / Math.max(1e-8, Math.abs(a) + Math.abs(numeric));
                    if (Math.abs(a - numeric) > 1e-8) {
                        worst = Math.max(worst, relative);
                    }
                    checked++;
                }
            }
        }
        assertTrue(checked > 20, "checked " + checked + " entries");
        assertTrue(worst < 1e-6, "largest relative error " + worst + " over " + checked + " gradient entries");
    }
}
