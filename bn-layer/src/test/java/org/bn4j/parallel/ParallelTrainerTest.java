package org.bn4j.parallel;

import org.bn4j.BatchNorm;
import org.bn4j.PopulationAveraging;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link ParallelTrainer} step is the step of one network on the whole mini-batch: parameters (γ, β, weights) and
 * population statistics after several steps agree with plain {@code fit} to 1e-10 in double, and to float tolerance
 * in float, for dense and convolutional BN (NCHW, NHWC), even and uneven shards, more replicas than cores.
 */
class ParallelTrainerTest {

    private static final int CLASSES = 3;

    /** A small convolutional network: conv → BN(ReLU) → pool → dense → BN → softmax, L2 and Nesterov momentum. */
    static MultiLayerConfiguration convNetwork(DataType type, CNN2DFormat format, PopulationAveraging averaging) {
        return new NeuralNetConfiguration.Builder()
                .seed(7).dataType(type).updater(new Nesterovs(0.1, 0.9)).l2(1e-3).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).dataFormat(format).hasBias(false)
                        .activation(Activation.IDENTITY).build())
                .layer(new BatchNorm.Builder().averaging(averaging).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(2, 2).stride(2, 2).dataFormat(format).build())
                .layer(new DenseLayer.Builder().nOut(6).activation(Activation.IDENTITY).build())
                .layer(new BatchNorm.Builder().averaging(averaging).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(8, 8, 2, format))
                .build();
    }

    static DataSet batch(DataType type, CNN2DFormat format, int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        long[] shape = format == CNN2DFormat.NCHW ? new long[] {n, 2, 8, 8} : new long[] {n, 8, 8, 2};
        INDArray x = Nd4j.randn(type, shape).muli(2).addi(1);
        INDArray y = Nd4j.zeros(type, n, CLASSES);
        Random random = new Random(seed);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, random.nextInt(CLASSES), 1.0);
        }
        return new DataSet(x, y);
    }

    private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @ParameterizedTest(name = "{0} {1} replicas={2} batch={3} {4}")
    @CsvSource({
            "DOUBLE, NCHW, 2, 12, MOVING_AVERAGE",
            "DOUBLE, NHWC, 3, 10, MOVING_AVERAGE",
            "DOUBLE, NCHW, 5, 11, CUMULATIVE",
            "DOUBLE, NCHW, 4, 4, MOVING_AVERAGE",      // shards of one example: the dense BN sees 1 value each
            "FLOAT, NCHW, 2, 16, MOVING_AVERAGE",
            "FLOAT, NHWC, 4, 13, CUMULATIVE",
    })
    void synchronizedStepEqualsOneNetworkOnTheWholeBatch(DataType type, CNN2DFormat format, int replicas, int n,
                                                         PopulationAveraging averaging) {
        MultiLayerConfiguration conf = convNetwork(type, format, averaging);
        MultiLayerNetwork single = init(conf.clone());
        MultiLayerNetwork parallel = init(conf.clone());
        assertEquals(single.params(), parallel.params());
        java.util.List<Double> scores = new java.util.ArrayList<>();
        parallel.setListeners(new org.deeplearning4j.optimize.api.BaseTrainingListener() {
            @Override
            public void iterationDone(org.deeplearning4j.nn.api.Model model, int iteration, int epoch) {
                scores.add(model.score());
            }
        });
        try (ParallelTrainer trainer = ParallelTrainer.builder(parallel).replicas(replicas).build()) {
            for (int step = 0; step < 4; step++) {
                DataSet b = batch(type, format, n, 100 + step);
                single.fit(b);
                trainer.fit(b);
                assertEquals(single.score(), parallel.score(), type == DataType.DOUBLE ? 1e-10 : 1e-5,
                        "score of step " + step);
            }
        }
        double tolerance = type == DataType.DOUBLE ? 1e-10 : 2e-4;
        assertClose(single.params(), parallel.params(), tolerance);
        assertEquals(4, parallel.getIterationCount());
        assertEquals(4, scores.size(), "listeners see one iteration per step");
        assertEquals(parallel.score(), scores.get(3), 0.0, "listeners see the whole batch's score");
        assertClose(single.updaterState(), parallel.updaterState(), tolerance);
    }

    @Test
    void perReplicaStatisticsEqualGhostBatchesOfTheShards() {
        // With PER_REPLICA each shard is normalized alone: the gradient is the sum of independent networks' gradients
        // on the shards (same parameters), and the population statistics move by the replicas' average update.
        MultiLayerConfiguration conf = convNetwork(DataType.DOUBLE, CNN2DFormat.NCHW,
                PopulationAveraging.MOVING_AVERAGE);
        MultiLayerNetwork parallel = init(conf.clone());
        DataSet b = batch(DataType.DOUBLE, CNN2DFormat.NCHW, 8, 5);
        MultiLayerNetwork shard0 = gradientOnShard(conf, b, 0, 4);
        MultiLayerNetwork shard1 = gradientOnShard(conf, b, 4, 8);
        INDArray expected = shard0.getGradientsViewArray().add(shard1.getGradientsViewArray());

        // Capture the reduced gradient the updater receives: a listener after the trainer's own.
        INDArray[] seen = new INDArray[1];
        parallel.setListeners(new org.deeplearning4j.optimize.api.BaseTrainingListener() {
            @Override
            public void onGradientCalculation(org.deeplearning4j.nn.api.Model model) {
                seen[0] = model.getGradientsViewArray().dup();
            }
        });
        try (ParallelTrainer trainer = ParallelTrainer.builder(parallel).replicas(2)
                .statistics(ReplicaStatistics.PER_REPLICA).build()) {
            trainer.fit(b);
        }
        // the network's updater divides by its shard's size (4), so the reduction scaled the sum by 4/8
        INDArray sum = expected.mul(0.5);
        // statistics entries: the replicas' pseudo-gradients averaged
        INDArray g0 = shard0.getGradientsViewArray();
        INDArray g1 = shard1.getGradientsViewArray();
        long offset = 0;
        for (org.deeplearning4j.nn.api.Layer layer : shard0.getLayers()) {
            for (var entry : layer.paramTable().entrySet()) {
                long len = entry.getValue().length();
                if (!layer.updaterDivideByMinibatch(entry.getKey())) {
                    for (long i = offset; i < offset + len; i++) {
                        sum.putScalar(i, (g0.getDouble(i) + g1.getDouble(i)) / 2);
                    }
                }
                offset += len;
            }
        }
        assertClose(sum.reshape(sum.length()), seen[0].reshape(seen[0].length()), 1e-12);
    }

    /** A fresh network of {@code conf} after a forward and backward pass of examples {@code [from, to)} of {@code b}. */
    private static MultiLayerNetwork gradientOnShard(MultiLayerConfiguration conf, DataSet b, int from, int to) {
        MultiLayerNetwork net = init(conf.clone());
        net.setInput(b.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to)).dup());
        net.setLabels(b.getLabels().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to)).dup());
        net.computeGradientAndScore();
        return net;
    }

    @Test
    void computationGraphStepEqualsOneGraphOnTheWholeBatch() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.DOUBLE).updater(new Nesterovs(0.05, 0.9)).weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nOut(5).activation(Activation.IDENTITY).build(), "in")
                .addLayer("bn", new BatchNorm.Builder().activation(Activation.RELU).build(), "dense")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build(), "bn")
                .setOutputs("out")
                .setInputTypes(InputType.feedForward(4))
                .build();
        ComputationGraph single = new ComputationGraph(conf.clone());
        single.init();
        ComputationGraph parallel = new ComputationGraph(conf.clone());
        parallel.init();
        try (ParallelTrainer trainer = ParallelTrainer.builder(parallel).replicas(3).build()) {
            for (int step = 0; step < 3; step++) {
                Nd4j.getRandom().setSeed(step);
                INDArray x = Nd4j.randn(DataType.DOUBLE, 9, 4);
                INDArray y = Nd4j.zeros(DataType.DOUBLE, 9, CLASSES);
                for (int i = 0; i < 9; i++) {
                    y.putScalar(i, (i + step) % CLASSES, 1.0);
                }
                single.fit(new DataSet(x, y));
                trainer.fit(new DataSet(x, y));
            }
        }
        assertClose(single.params(), parallel.params(), 1e-10);
    }

    @Test
    void anEpochOverAnIteratorIsTheNetworksOwnEpoch() {
        MultiLayerConfiguration conf = convNetwork(DataType.DOUBLE, CNN2DFormat.NCHW,
                PopulationAveraging.MOVING_AVERAGE);
        MultiLayerNetwork single = init(conf.clone());
        MultiLayerNetwork parallel = init(conf.clone());
        java.util.List<DataSet> batches = java.util.List.of(batch(DataType.DOUBLE, CNN2DFormat.NCHW, 9, 1),
                batch(DataType.DOUBLE, CNN2DFormat.NCHW, 7, 2));
        single.fit(new org.deeplearning4j.datasets.iterator.ExistingDataSetIterator(batches));
        try (ParallelTrainer trainer = ParallelTrainer.builder(parallel).replicas(2).build()) {
            trainer.fit(new org.deeplearning4j.datasets.iterator.ExistingDataSetIterator(batches));
        }
        assertClose(single.params(), parallel.params(), 1e-10);
        assertEquals(single.getEpochCount(), parallel.getEpochCount());
        assertEquals(2, parallel.getIterationCount());
    }

    @Test
    void fixedSeedAndReplicaCountGiveIdenticalResultsRunToRun() {
        MultiLayerConfiguration conf = convNetwork(DataType.FLOAT, CNN2DFormat.NCHW,
                PopulationAveraging.MOVING_AVERAGE);
        INDArray[] params = new INDArray[2];
        for (int run = 0; run < 2; run++) {
            MultiLayerNetwork net = init(conf.clone());
            try (ParallelTrainer trainer = ParallelTrainer.builder(net).replicas(3).build()) {
                for (int step = 0; step < 3; step++) {
                    trainer.fit(batch(DataType.FLOAT, CNN2DFormat.NCHW, 14, 1 + step));  // (ND4J ignores seed 0)
                }
            }
            params[run] = net.params().dup();
        }
        assertEquals(params[0], params[1]);
    }

    @Test
    void aFailingReplicaStopsTheStepAndLeavesTheNetworkAsBefore() {
        MultiLayerNetwork net = init(convNetwork(DataType.DOUBLE, CNN2DFormat.NCHW,
                PopulationAveraging.MOVING_AVERAGE));
        try (ParallelTrainer trainer = ParallelTrainer.builder(net).replicas(2).build()) {
            assertAFailedStepLeavesTheNetworkAsBeforeAndTheTrainerWorking(trainer, net);
        }
    }

    /**
     * One good step, then a step whose features have the wrong channel count (every replica fails in its first
     * layer): {@link ReplicaFailedException}, parameters, updater state and iteration as before; then a good step
     * trains again. For a trainer of 2 replicas over {@link #convNetwork} in double, NCHW.
     */
    static void assertAFailedStepLeavesTheNetworkAsBeforeAndTheTrainerWorking(ParallelTrainer trainer,
                                                                             MultiLayerNetwork net) {
        trainer.fit(batch(DataType.DOUBLE, CNN2DFormat.NCHW, 8, 1));
        INDArray before = net.params().dup();
        INDArray updaterBefore = net.updaterState().dup();
        int iteration = net.getIterationCount();
        DataSet good = batch(DataType.DOUBLE, CNN2DFormat.NCHW, 8, 2);
        DataSet wrong = new DataSet(Nd4j.rand(DataType.DOUBLE, 8, 3, 8, 8), good.getLabels());
        ReplicaFailedException e = assertThrows(ReplicaFailedException.class, () -> trainer.fit(wrong));
        assertTrue(e.getMessage().contains("replica"), e.getMessage());
        assertEquals(before, net.params());
        assertEquals(updaterBefore, net.updaterState());
        assertEquals(iteration, net.getIterationCount());
        trainer.fit(good);                             // the trainer (and any replica process) is still in step
        assertEquals(iteration + 1, net.getIterationCount());
    }

    @Test
    void anExceptionOfTheNetworksListenerAfterTheUpdatePropagatesAsThrownAsWithFit() {
        MultiLayerConfiguration conf = convNetwork(DataType.DOUBLE, CNN2DFormat.NCHW,
                PopulationAveraging.MOVING_AVERAGE);
        MultiLayerNetwork single = init(conf.clone());
        MultiLayerNetwork parallel = init(conf.clone());
        single.addListeners(new StopOnSecondStep());
        parallel.addListeners(new StopOnSecondStep());
        try (ParallelTrainer trainer = ParallelTrainer.builder(parallel).replicas(2).build()) {
            for (int step = 1; step <= 3; step++) {
                DataSet batch = batch(DataType.DOUBLE, CNN2DFormat.NCHW, 6, step);
                if (step == 2) {
                    assertThrows(StopOnSecondStep.Stop.class, () -> single.fit(batch));
                    assertThrows(StopOnSecondStep.Stop.class, () -> trainer.fit(batch));
                } else {
                    single.fit(batch);
                    trainer.fit(batch);                 // and the trainer goes on after it
                }
            }
        }
        assertEquals(single.getIterationCount(), parallel.getIterationCount());
        assertClose(single.params(), parallel.params(), 1e-10);
    }

    /** Throws after the second update, as the search's stop signal does after a diverged step. */
    private static final class StopOnSecondStep extends org.deeplearning4j.optimize.api.BaseTrainingListener {
        static final class Stop extends RuntimeException {
        }

        private int calls;

        @Override
        public void iterationDone(org.deeplearning4j.nn.api.Model model, int iteration, int epoch) {
            if (++calls == 2) {
                throw new Stop();
            }
        }
    }

    @Test
    void noReplicaThreadIsLeftRunningAfterClose() {
        MultiLayerNetwork net = init(convNetwork(DataType.FLOAT, CNN2DFormat.NCHW,
                PopulationAveraging.MOVING_AVERAGE));
        try (ParallelTrainer trainer = ParallelTrainer.builder(net).replicas(3).build()) {
            trainer.fit(batch(DataType.FLOAT, CNN2DFormat.NCHW, 6, 1));
            assertTrue(replicaThreads() >= 2);
        }
        long deadline = System.currentTimeMillis() + 5000;
        while (replicaThreads() > 0 && System.currentTimeMillis() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(0, replicaThreads());
        net.fit(batch(DataType.FLOAT, CNN2DFormat.NCHW, 6, 2));      // the network trains on its own again
    }

    private static long replicaThreads() {
        Set<Thread> threads = Thread.getAllStackTraces().keySet();
        return threads.stream().filter(t -> t.getName().startsWith("bn4j-replica-") && t.isAlive()).count();
    }

    @Test
    void badConfigurationGetsAClearError() {
        MultiLayerNetwork net = init(convNetwork(DataType.FLOAT, CNN2DFormat.NCHW,
                PopulationAveraging.MOVING_AVERAGE));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> ParallelTrainer.builder(net).replicas(0).build());
        assertTrue(zero.getMessage().contains("replicas must be >= 1"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ParallelTrainer.builder(net).threadsPerReplica(-1));
        try (ParallelTrainer trainer = ParallelTrainer.builder(net).replicas(4).build()) {
            IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                    () -> trainer.fit(batch(DataType.FLOAT, CNN2DFormat.NCHW, 3, 1)));
            assertTrue(small.getMessage().contains("3 example(s) cannot be split over 4 replicas"),
                    small.getMessage());
        }

        MultiLayerNetwork builtIn = init(new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(4).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new OutputLayer.Builder().nOut(2).build())
                .setInputType(InputType.feedForward(4)).build());
        IllegalArgumentException dl4jBn = assertThrows(IllegalArgumentException.class,
                () -> ParallelTrainer.builder(builtIn).replicas(2).build());
        assertTrue(dl4jBn.getMessage().contains("built-in BatchNormalization"), dl4jBn.getMessage());
        ParallelTrainer.builder(builtIn).replicas(2).statistics(ReplicaStatistics.PER_REPLICA).build().close();

        MultiLayerNetwork clipped = init(new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(4).build())
                .layer(new BatchNorm.Builder().gradientNormalization(GradientNormalization.ClipL2PerLayer)
                        .gradientNormalizationThreshold(1.0).build())
                .layer(new OutputLayer.Builder().nOut(2).build())
                .setInputType(InputType.feedForward(4)).build());
        IllegalArgumentException clip = assertThrows(IllegalArgumentException.class,
                () -> ParallelTrainer.builder(clipped).replicas(2).build());
        assertTrue(clip.getMessage().contains("gradient"), clip.getMessage());

        ParallelTrainer closed = ParallelTrainer.builder(net).replicas(2).build();
        closed.close();
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.fit(batch(DataType.FLOAT, CNN2DFormat.NCHW, 4, 1)));
        assertFalse(closed.replicas() < 1);
    }

    static void assertClose(INDArray expected, INDArray actual, double tolerance) {
        double[] e = expected.toDoubleVector();
        double[] a = actual.toDoubleVector();
        assertEquals(e.length, a.length);
        double worst = 0;
        int at = -1;
        for (int i = 0; i < e.length; i++) {
            double d = Math.abs(e[i] - a[i]) / Math.max(1.0, Math.abs(e[i]));
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        assertTrue(worst <= tolerance, "largest difference " + worst + " at " + at + " (" + (at < 0 ? "" : e[at]
                + " vs " + a[at]) + "), tolerance " + tolerance);
        assertArrayEquals(new int[] {e.length}, new int[] {a.length});
    }
}
