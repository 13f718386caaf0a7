package org.bn4j.inception.net;

import org.bn4j.parallel.ParallelTrainer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Nesterovs;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example's BN-Inception (merge vertices, 1×1 and few-channel convolutions, pooling, global pooling; float32)
 * through {@link ParallelTrainer} with 2 and 3 replicas: the gradient its updater receives is the network's own
 * gradient on the whole mini-batch, and the score is the whole batch's: to 1e-8 in double (DL4J's convolution), and
 * within float32 roundoff with either convolution layer.
 *
 * <p>NOTE: float32 roundoff is carried back through the network's 34 BN layers: measured during development, the
 * norm-relative difference grows from about 4e-7 at the classifier to about 1e-3 at the stem, and reaches 2e-2 on a
 * γ whose gradient is itself a small difference; the double case shows it is roundoff.
 */
class ParallelTrainingStepTest {

    private static ComputationGraph network(ConvolutionKind convolution, DataType type) {
        ComputationGraphConfiguration conf = new BnInceptionBuilder().input(28, 28, 1).numClasses(10)
                .widthMultiplier(0.125).stem(Stem.AUTO).convolution(convolution).updater(new Nesterovs(0.05, 0.9))
                .seed(5).buildConfiguration();
        conf.setDataType(type);
        ComputationGraph network = new ComputationGraph(conf);
        network.init();
        return network;
    }

    @ParameterizedTest
    @CsvSource({"DL4J, DOUBLE, 1e-8", "DL4J, FLOAT, 5e-2", "FAST, FLOAT, 5e-2"})
    void replicatedGradientIsTheNetworksOwnOnTheWholeBatch(ConvolutionKind convolution, DataType type,
                                                           double tolerance) {
        Nd4j.getRandom().setSeed(101);
        INDArray x = Nd4j.rand(type, 16, 1, 28, 28);
        INDArray y = Nd4j.zeros(type, 16, 10);
        for (int i = 0; i < 16; i++) {
            y.putScalar(i, (i * 7) % 10, 1f);
        }
        ComputationGraph single = network(convolution, type);
        single.setInputs(x);
        single.setLabels(y);
        single.computeGradientAndScore();
        INDArray expected = single.getGradientsViewArray().dup().reshape(-1);

        for (int replicas : new int[] {2, 3}) {
            ComputationGraph parallel = network(convolution, type);
            INDArray[] seen = new INDArray[1];
            parallel.setListeners(new BaseTrainingListener() {
                @Override
                public void onGradientCalculation(Model model) {
                    seen[0] = model.getGradientsViewArray().dup().reshape(-1);   // after the trainer's reduction
                }
            });
            try (ParallelTrainer trainer = ParallelTrainer.builder(parallel).replicas(replicas).build()) {
                trainer.fit(new DataSet(x, y));
            }
            assertEquals(single.score(), parallel.score(), 1e-5, "score");
            double shard0 = Math.ceil(16.0 / replicas);
            INDArray actual = seen[0].mul(16.0 / shard0);          // undo the n₀/N scaling for the updater
            long base = single.params().offset();
            double worst = 0;
            String where = "";
            for (Map.Entry<String, INDArray> param : single.paramTable().entrySet()) {
                if (param.getKey().endsWith("_mean") || param.getKey().endsWith("_var")) {
                    continue;                                       // population statistics: not gradients
                }
                long start = param.getValue().offset() - base;
                INDArray e = expected.get(NDArrayIndex.interval(start, start + param.getValue().length()));
                INDArray a = actual.get(NDArrayIndex.interval(start, start + param.getValue().length()));
                double relative = e.sub(a).norm2Number().doubleValue()
                        / Math.max(1e-6, e.norm2Number().doubleValue());
                if (relative > worst) {
                    worst = relative;
                    where = param.getKey();
                }
            }
            assertTrue(worst < tolerance, convolution + " " + type + ", " + replicas + " replicas: gradient of " + where
                    + " differs by " + worst + " (norm-relative)");
        }
    }
}
