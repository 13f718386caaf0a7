package org.bn4j;

import org.bn4j.parallel.ParallelTrainer;
import org.bn4j.parallel.ReplicaStatistics;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Map;
import java.util.function.UnaryOperator;

import static org.bn4j.testutil.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Batch Renormalization and ghost batches reduce to: plain batch normalization (bit for bit) with
 * {@code r_max = 1, d_max = 0} or ghost batches of the whole batch; replicas with per-replica statistics for ghost
 * batches of the shards; the unchanged population map at inference.
 */
class BatchRenormEquivalenceTest {

    @AfterEach
    void restoreKernels() {
        System.clearProperty("bn4j.kernels");
    }

    @ParameterizedTest(name = "{0}, kernels={1}")
    @CsvSource({"DENSE,cpu", "DENSE,nd4j", "NCHW,cpu", "NCHW,nd4j", "NHWC,cpu", "NHWC,nd4j"})
    void renormWithRMaxOneAndDMaxZeroIsPlainBatchNormBitForBit(String layout, String kernels) {
        System.setProperty("bn4j.kernels", kernels);
        MultiLayerNetwork plain = network(layout, DataType.FLOAT, b -> b);
        MultiLayerNetwork renorm = network(layout, DataType.FLOAT,
                b -> b.batchRenorm(true).renormSchedule(RenormSchedule.constant(1, 0)));
        trainAndCompareBitwise(layout, plain, renorm, 8);
        assertEquals(3.0, renorm.getLayer(1).getParam(BatchNorm.RENORM_STEP).getDouble(0), "three fit steps");
    }

    @ParameterizedTest(name = "{0}, ghost batch {1}")
    @CsvSource({"DENSE,8", "DENSE,11", "NCHW,8", "NHWC,30"})
    void ghostBatchesOfTheWholeBatchAreBatchNormBitForBit(String layout, int ghost) {
        MultiLayerNetwork plain = network(layout, DataType.FLOAT, b -> b);
        MultiLayerNetwork ghosted = network(layout, DataType.FLOAT, b -> b.ghostBatchSize(ghost));
        trainAndCompareBitwise(layout, plain, ghosted, 8);
    }

    @Test
    void duringTheWarmUpRenormIsPlainBatchNormAndAfterItNot() {
        MultiLayerNetwork plain = network("DENSE", DataType.DOUBLE, b -> b);
        MultiLayerNetwork renorm = network("DENSE", DataType.DOUBLE,
                b -> b.batchRenorm(true).renormSchedule(RenormSchedule.of(2, 1, 2, 4, 4)));
        for (int step = 0; step < 5; step++) {
            DataSet data = data("DENSE", DataType.DOUBLE, 8, step);
            INDArray a = plain.feedForward(data.getFeatures(), true).get(2);
            INDArray b = renorm.feedForward(data.getFeatures(), true).get(2);
            // steps 0-2: r_max(t) = 1, d_max(t) = 0; then the moving averages (still far from the batch's) correct
            assertEquals(step <= 2, a.equals(b), "step " + step);
            plain.fit(data);
            renorm.fit(data);
            plain.setParams(renormFreeParams(renorm, plain));
        }
    }

    @Test
    void ghostBatchesNormalizeEachSubBatchAlone() {
        MultiLayerNetwork plain = network("NCHW", DataType.DOUBLE, b -> b);
        MultiLayerNetwork ghosted = network("NCHW", DataType.DOUBLE, b -> b.ghostBatchSize(4));
        INDArray x = data("NCHW", DataType.DOUBLE, 10, 1).getFeatures();
        INDArray out = ghosted.feedForward(x, true).get(2);
        int start = 0;
        for (int size : new int[] {4, 3, 3}) {       // 10 examples in ghost batches of at most 4
            INDArray part = x.get(NDArrayIndex.interval(start, start + size)).dup();
            assertClose(plain.feedForward(part, true).get(2), out.get(NDArrayIndex.interval(start, start + size)),
                    1e-12);
            start += size;
        }
    }

    @Test
    void ghostBatchesOfTheShardsEqualReplicasWithPerReplicaStatistics() {
        MultiLayerNetwork ghosted = network("NCHW", DataType.DOUBLE, b -> b.ghostBatchSize(5));
        MultiLayerNetwork replicated = network("NCHW", DataType.DOUBLE, b -> b);
        DataSet data = data("NCHW", DataType.DOUBLE, 10, 3);
        try (ParallelTrainer trainer = ParallelTrainer.builder(replicated).replicas(2)
                .statistics(ReplicaStatistics.PER_REPLICA).build()) {
            for (int i = 0; i < 2; i++) {
                ghosted.fit(data);
                trainer.fit(data);
            }
        }
        assertClose(replicated.params(), ghosted.params(), 1e-10);
    }

    @Test
    void renormWithSynchronizedReplicasIsRenormOverTheWholeBatch() {
        UnaryOperator<BatchNorm.Builder> renorm = b -> b.batchRenorm(true)
                .renormSchedule(RenormSchedule.constant(1.5, 0.3));
        MultiLayerNetwork single = network("NHWC", DataType.DOUBLE, renorm);
        MultiLayerNetwork replicated = network("NHWC", DataType.DOUBLE, renorm);
        try (ParallelTrainer trainer = ParallelTrainer.builder(replicated).replicas(2).build()) {  // synchronized
            for (int i = 0; i < 3; i++) {
                DataSet data = data("NHWC", DataType.DOUBLE, 8, i);
                single.fit(data);
                trainer.fit(data);
            }
        }
        assertClose(single.params(), replicated.params(), 1e-10);
        assertEquals(3.0, replicated.getLayer(1).getParam(BatchNorm.RENORM_STEP).getDouble(0));
    }

    @Test
    void inferenceIgnoresRenormAndGhostBatches() {
        MultiLayerNetwork plain = network("NHWC", DataType.DOUBLE, b -> b);
        MultiLayerNetwork both = network("NHWC", DataType.DOUBLE, b -> b.batchRenorm(true)
                .renormSchedule(RenormSchedule.constant(2, 1)).ghostBatchSize(3));
        for (int i = 0; i < 3; i++) {
            both.fit(data("NHWC", DataType.DOUBLE, 9, i));
        }
        plain.setParams(renormFreeParams(both, plain));
        INDArray x = data("NHWC", DataType.DOUBLE, 5, 7).getFeatures();
        assertEquals(plain.output(x), both.output(x));
        assertFalse(plain.output(x).equals(both.feedForward(x, true).get(4)), "training mode differs");
    }

    @Test
    void inconsistentOptionsAreRejectedWithTheLayerName() {
        IllegalArgumentException ghost = assertThrows(IllegalArgumentException.class, () -> new BatchNorm.Builder()
                .name("bn3").ghostBatchSize(-1).build());
        assertTrue(ghost.getMessage().contains("bn3"), ghost.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RenormSchedule.of(0.5, 1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> RenormSchedule.of(2, -1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> RenormSchedule.of(2, 1, 10, 5, 20));
        MultiLayerNetwork net = network("DENSE", DataType.DOUBLE, b -> b.ghostBatchSize(1));
        IllegalArgumentException tiny = assertThrows(IllegalArgumentException.class,
                () -> net.fit(data("DENSE", DataType.DOUBLE, 4, 0)));
        assertTrue(tiny.getMessage().contains("more than 1 value per feature"), tiny.getMessage());
    }

    @Test
    void frozenStatisticsTakePrecedenceOverRenormAndKeepTheRenormStep() {
        MultiLayerNetwork renorm = network("NCHW", DataType.DOUBLE, b -> b.batchRenorm(true)
                .renormSchedule(RenormSchedule.constant(2, 1)).ghostBatchSize(2));
        renorm.fit(data("NCHW", DataType.DOUBLE, 6, 0));
        org.bn4j.deploy.BatchNormFreezer.freeze(renorm);
        INDArray mean = renorm.getLayer(1).getParam(BatchNorm.MEAN).dup();
        DataSet data = data("NCHW", DataType.DOUBLE, 6, 1);
        assertEquals(renorm.output(data.getFeatures()), renorm.feedForward(data.getFeatures(), true).get(4),
                "frozen: training forward is the population map");
        renorm.fit(data);
        assertEquals(mean, renorm.getLayer(1).getParam(BatchNorm.MEAN));
        assertEquals(1.0, renorm.getLayer(1).getParam(BatchNorm.RENORM_STEP).getDouble(0));
        MultiLayerNetwork reloaded = new MultiLayerNetwork(renorm.getLayerWiseConfigurations().clone());
        reloaded.init(renorm.params().dup(), false);       // a frozen renorm configuration still instantiates
        assertEquals(renorm.output(data.getFeatures()), reloaded.output(data.getFeatures()));
    }

    @Test
    void theScheduleFollowsThePaperWarmUpAndRamps() {
        RenormSchedule paper = RenormSchedule.paper();
        assertEquals(1.0, paper.rMaxAt(0));
        assertEquals(0.0, paper.dMaxAt(5000));
        assertTrue(paper.isPlainAt(5000));
        assertEquals(2.0, paper.rMaxAt(22500), 1e-12);       // halfway from 5000 to 40000
        assertEquals(2.5, paper.dMaxAt(15000), 1e-12);       // halfway from 5000 to 25000
        assertEquals(3.0, paper.rMaxAt(40000));
        assertEquals(5.0, paper.dMaxAt(1_000_000));
        RenormSchedule constant = RenormSchedule.constant(1.5, 0.2);
        assertEquals(1.5, constant.rMaxAt(0));
        assertEquals(0.2, constant.dMaxAt(0));
        assertTrue(RenormSchedule.constant(1, 0).isPlainAt(0));
    }

    /** Fits both networks on the same three batches; every parameter but the renorm step, and outputs, bitwise. */
    private static void trainAndCompareBitwise(String layout, MultiLayerNetwork a, MultiLayerNetwork b, int n) {
        for (int step = 0; step < 3; step++) {
            DataSet data = data(layout, DataType.FLOAT, n, step);
            assertArrayEquals(flat(a.feedForward(data.getFeatures(), true).get(2)),
                    flat(b.feedForward(data.getFeatures(), true).get(2)), 0f, "training output " + step);
            a.fit(data);
            b.fit(data);
        }
        for (int i = 0; i < a.getLayers().length; i++) {
            Map<String, INDArray> expected = a.getLayer(i).paramTable();
            Map<String, INDArray> actual = b.getLayer(i).paramTable();
            for (Map.Entry<String, INDArray> e : expected.entrySet()) {
                assertArrayEquals(flat(e.getValue()), flat(actual.get(e.getKey())), 0f,
                        "layer " + i + " " + e.getKey());
            }
        }
        INDArray x = data(layout, DataType.FLOAT, 3, 9).getFeatures();
        assertArrayEquals(flat(a.output(x)), flat(b.output(x)), 0f, "inference output");
    }

    private static float[] flat(INDArray a) {
        return a.dup('c').data().asFloat();
    }

    /** {@code source}'s parameters without its renorm step, laid out for {@code target}. */
    private static INDArray renormFreeParams(MultiLayerNetwork source, MultiLayerNetwork target) {
        INDArray out = target.params().dup();
        MultiLayerNetwork copy = target.clone();
        for (int i = 0; i < source.getLayers().length; i++) {
            Layer from = source.getLayer(i);
            for (Map.Entry<String, INDArray> e : copy.getLayer(i).paramTable().entrySet()) {
                e.getValue().assign(from.getParam(e.getKey()));
            }
        }
        out.assign(copy.params());
        return out;
    }

    /** dense/conv (2×2, 3 channels) → BatchNorm → (pool) → softmax output, seed fixed; {@code options} on the BN. */
    static MultiLayerNetwork network(String layout, DataType type, UnaryOperator<BatchNorm.Builder> options) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(42).dataType(type)
                .updater(new Sgd(0.1)).list();
        if ("DENSE".equals(layout)) {
            list.layer(new DenseLayer.Builder().nOut(4).activation(Activation.IDENTITY).build())
                    .layer(options.apply(new BatchNorm.Builder().activation(Activation.RELU)).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                            .activation(Activation.SOFTMAX).build())
                    .setInputType(InputType.feedForward(3));
        } else {
            CNN2DFormat format = CNN2DFormat.valueOf(layout);
            list.layer(new ConvolutionLayer.Builder(2, 2).nOut(3).dataFormat(format).activation(Activation.IDENTITY)
                            .build())
                    .layer(options.apply(new BatchNorm.Builder().activation(Activation.RELU)).build())
                    .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                            .activation(Activation.SOFTMAX).build())
                    .setInputType(InputType.convolutional(4, 4, 2, format));
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    /** A reproducible batch of {@code n} examples for the layout, offset and scaled away from mean 0, std 1. */
    static DataSet data(String layout, DataType type, int n, int seed) {
        Nd4j.getRandom().setSeed(100 + seed);
        long[] shape = "DENSE".equals(layout) ? new long[] {n, 3}
                : "NCHW".equals(layout) ? new long[] {n, 2, 4, 4} : new long[] {n, 4, 4, 2};
        INDArray x = Nd4j.randn(DataType.DOUBLE, shape).muli(2 + seed % 3).addi(1 + seed).castTo(type);
        INDArray y = Nd4j.zeros(type, n, 3);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, (i + seed) % 3, 1.0);
        }
        return new DataSet(x, y);
    }
}
