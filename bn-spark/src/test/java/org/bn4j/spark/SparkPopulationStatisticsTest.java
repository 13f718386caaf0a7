package org.bn4j.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.bn4j.statistics.PopulationEstimate;
import org.bn4j.statistics.PopulationStatistics;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.adapter.MultiDataSetIteratorAdapter;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Distributed Algorithm 2 equals the single-machine {@link PopulationStatistics#estimate} on the same batches. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SparkPopulationStatisticsTest {

    private static final double EXACT = 1e-12;
    /** Uneven partitions, an empty one, and a single-example batch (skipped by both passes); -1 = next partition. */
    private static final int[] LAYOUT = {5, 3, 4, -1, -1, 2, 1, 3, -1, 4, 4, 6, 2, -1, 3};

    @RegisterExtension
    static final LocalSpark SPARK = new LocalSpark();
    private static final JavaSparkContext sc = SPARK.sc;

    @Test
    void multiLayerNetworkWithBothKindsOfLayerEqualsTheSingleMachineEstimate() {
        List<List<DataSet>> partitions = TestNetworks.partitions(1, LAYOUT);
        for (int maxBatches : new int[] {Integer.MAX_VALUE, 5}) {
            MultiLayerNetwork reference = TestNetworks.multiLayer();
            MultiLayerNetwork distributed = reference.clone();
            PopulationEstimate expected = PopulationStatistics.estimate(reference,
                    new ExistingDataSetIterator(TestNetworks.flatten(partitions)), maxBatches);
            PopulationEstimate actual = SparkPopulationStatistics.estimate(distributed, rdd(partitions), maxBatches);

            assertEquals(maxBatches == 5 ? 5 : 10, actual.batches());
            assertSame(expected, actual);
            assertArrayEquals(reference.params().toDoubleVector(), distributed.params().toDoubleVector(), EXACT);
        }
    }

    @Test
    void computationGraphFromDataSetsAndMultiDataSetsEqualsTheSingleMachineEstimate() {
        List<List<DataSet>> partitions = TestNetworks.partitions(2, LAYOUT);
        ComputationGraph reference = TestNetworks.graph();
        ComputationGraph fromDataSets = reference.clone();
        ComputationGraph fromMultiDataSets = reference.clone();
        INDArray before = reference.params().dup();
        PopulationEstimate expected = PopulationStatistics.estimate(reference,
                new MultiDataSetIteratorAdapter(new ExistingDataSetIterator(TestNetworks.flatten(partitions))), 7);

        PopulationEstimate actual = SparkPopulationStatistics.estimate(fromDataSets, rdd(partitions), 7);
        JavaRDD<MultiDataSet> multi = rdd(partitions).map(ds -> ds.toMultiDataSet());
        PopulationEstimate actualMulti = SparkPopulationStatistics.estimateMulti(fromMultiDataSets, multi, 7);

        assertEquals(7, actual.batches());
        assertSame(expected, actual);
        assertSame(expected, actualMulti);
        assertNotEquals(before, reference.params(), "the estimate changed the statistics");
        assertArrayEquals(reference.params().toDoubleVector(), fromDataSets.params().toDoubleVector(), EXACT);
        assertArrayEquals(reference.params().toDoubleVector(), fromMultiDataSets.params().toDoubleVector(), EXACT);
        assertEquals(7.0, fromDataSets.getLayer("bn2").getParam("count").getDouble(0), 0.0);
    }

    @Test
    void singleImageBatchesCountAsOnOneMachineWhenEveryNormalizationLayerIsConvolutional() {
        // Single images in every partition, first and last in some; maxBatches 5 and 8 end among them.
        List<List<DataSet>> partitions = TestNetworks.partitions(7, 1, 3, 1, -1, 1, -1, -1, 2, 1, 1, -1, 4, 1, 1);
        for (int maxBatches : new int[] {Integer.MAX_VALUE, 5, 8}) {
            MultiLayerNetwork reference = TestNetworks.convolutionalOnly();
            MultiLayerNetwork distributed = reference.clone();
            PopulationEstimate expected = PopulationStatistics.estimate(reference,
                    new ExistingDataSetIterator(TestNetworks.flatten(partitions)), maxBatches);
            PopulationEstimate actual = SparkPopulationStatistics.estimate(distributed, rdd(partitions), maxBatches);

            assertEquals(Math.min(maxBatches, 10), expected.batches(), "every batch counts on one machine");
            assertSame(expected, actual);
            assertArrayEquals(reference.params().toDoubleVector(), distributed.params().toDoubleVector(), EXACT);
        }
        ComputationGraph reference = TestNetworks.convolutionalOnly().toComputationGraph();
        ComputationGraph distributed = reference.clone();
        PopulationEstimate expected = PopulationStatistics.estimate(reference,
                new ExistingDataSetIterator(TestNetworks.flatten(partitions)), 6);
        JavaRDD<MultiDataSet> multi = rdd(partitions).map(ds -> ds.toMultiDataSet());
        assertSame(expected, SparkPopulationStatistics.estimateMulti(distributed, multi, 6));
        assertArrayEquals(reference.params().toDoubleVector(), distributed.params().toDoubleVector(), EXACT);
    }

    @Test
    void aTaskThatFailsOnceIsRetriedAndTheResultIsStillExact() {
        List<List<DataSet>> partitions = TestNetworks.partitions(3, LAYOUT);
        MultiLayerNetwork reference = TestNetworks.multiLayer();
        MultiLayerNetwork distributed = reference.clone();
        PopulationStatistics.estimate(reference, new ExistingDataSetIterator(TestNetworks.flatten(partitions)), 100);

        FailOnce.reset();
        JavaRDD<DataSet> data = sc.parallelize(partitions, partitions.size()).flatMap(FailOnce::batches);
        SparkPopulationStatistics.estimate(distributed, data, 100);

        assertTrue(FailOnce.FAILED.get(), "the summing task of the largest partition failed once");
        assertArrayEquals(reference.params().toDoubleVector(), distributed.params().toDoubleVector(), EXACT);
    }

    @Test
    void inconsistentFeatureShapesAreAClearError() {
        List<List<DataSet>> partitions = TestNetworks.partitions(4, 3, 3, -1, 2);
        DataSet other = partitions.get(1).get(0);
        partitions.get(1).set(0, new DataSet(other.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5)).dup(), other.getLabels()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkPopulationStatistics.estimate(TestNetworks.multiLayer(), rdd(partitions), 10));
        assertTrue(e.getMessage().contains("inconsistent feature shapes: [2, 6, 6] (partition 0, batch 0) and "
                + "[2, 5, 5] (partition 1, batch 0)"), e.getMessage());

        List<List<DataSet>> mixedInOnePartition = TestNetworks.partitions(4, 3, 3);
        mixedInOnePartition.get(0).add(partitions.get(1).get(0));
        e = assertThrows(IllegalArgumentException.class,
                () -> SparkPopulationStatistics.estimate(TestNetworks.multiLayer(), rdd(mixedInOnePartition), 10));
        assertTrue(e.getMessage().contains("(partition 0, batch 2)"), e.getMessage());
    }

    @Test
    void aNetworkWithoutBatchNormalizationOrMaxBatchesBelowOneOrNoDataAreClearErrors() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(2).nOut(2).build()).build();
        MultiLayerNetwork plain = new MultiLayerNetwork(conf);
        plain.init();
        JavaRDD<DataSet> data = rdd(TestNetworks.partitions(5, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkPopulationStatistics.estimate(plain, data, 10));
        assertTrue(e.getMessage().contains("no batch-normalization layer"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> SparkPopulationStatistics.estimate(TestNetworks.multiLayer(), data, 0));
        assertTrue(e.getMessage().contains("maxBatches must be at least 1, got 0"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> SparkPopulationStatistics.estimate(
                TestNetworks.multiLayer(), sc.parallelize(Collections.<DataSet>emptyList(), 2), 10));
        assertTrue(e.getMessage().contains("no mini-batch with at least 2 values per feature in every normalization "
                + "layer (it is empty)"), e.getMessage());

        // The dense BN layer of multiLayer() sees one value per feature in a single-example batch.
        e = assertThrows(IllegalArgumentException.class, () -> SparkPopulationStatistics.estimate(
                TestNetworks.multiLayer(), rdd(TestNetworks.partitions(6, 1, 1, -1, 1)), 10));
        assertTrue(e.getMessage().contains("no mini-batch with at least 2 values per feature in every normalization "
                + "layer (3 single-example mini-batch(es) skipped)"), e.getMessage());
    }

    /** Every partition of {@code partitions} becomes one RDD partition, in order (an empty list: an empty one). */
    private static JavaRDD<DataSet> rdd(List<List<DataSet>> partitions) {
        return sc.parallelize(partitions, partitions.size()).flatMap(List::iterator);
    }

    private static void assertSame(PopulationEstimate expected, PopulationEstimate actual) {
        assertEquals(expected.batches(), actual.batches());
        assertEquals(expected.layers(), actual.layers());
        for (String layer : expected.layers()) {
            assertArrayEquals(expected.mean(layer).toDoubleVector(), actual.mean(layer).toDoubleVector(), EXACT, layer);
            assertArrayEquals(expected.variance(layer).toDoubleVector(), actual.variance(layer).toDoubleVector(),
                    EXACT, layer);
        }
    }

    /**
     * Local mode runs tasks in this JVM, so a static flag can make one task fail: the second time the largest
     * partition is computed (the first is the counting pass, the second the summing pass) its iterator throws after
     * two mini-batches, once. Spark retries the task (local[2,2]).
     */
    static final class FailOnce {
        static final AtomicBoolean FAILED = new AtomicBoolean();
        static final AtomicInteger COMPUTED = new AtomicInteger();

        static void reset() {
            FAILED.set(false);
            COMPUTED.set(0);
        }

        static Iterator<DataSet> batches(List<DataSet> partition) {
            if (partition.size() < 4 || COMPUTED.incrementAndGet() != 2) {
                return partition.iterator();
            }
            List<DataSet> copy = new ArrayList<>(partition);
            return new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < copy.size();
                }

                @Override
                public DataSet next() {
                    if (next == 2 && FAILED.compareAndSet(false, true)) {
                        throw new IllegalStateException("injected executor failure");
                    }
                    return copy.get(next++);
                }
            };
        }
    }
}
