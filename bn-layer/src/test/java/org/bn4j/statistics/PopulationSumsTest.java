package org.bn4j.statistics;

import org.bn4j.BatchNorm;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

import static org.bn4j.testutil.TestNetworks.column;
import static org.bn4j.testutil.TestNetworks.iterator;
import static org.bn4j.testutil.TestNetworks.network;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Algorithm 2 in parts: accumulate disjoint batches, merge the sums, apply once = estimate over all batches. */
class PopulationSumsTest {

    @Test
    void mergedSumsOfTwoPartsGiveTheSameEstimateAsOnePass() throws Exception {
        INDArray[] batches = {column(1, 2, 3), column(4, 6, 8), column(10, 20), column(7)};
        MultiLayerNetwork whole = twoLayerNetwork();
        PopulationStatistics.estimate(whole, iterator(batches), 10);

        MultiLayerNetwork parts = twoLayerNetwork();
        PopulationSums first = PopulationStatistics.accumulate(parts, inputs(batches[0]), 10);
        PopulationSums second = PopulationStatistics.accumulate(parts, inputs(batches[1], batches[2], batches[3]), 10);
        PopulationSums none = PopulationStatistics.accumulate(parts, Collections.emptyIterator(), 10);
        assertEquals(0.0, parts.getLayer(0).getParam(BatchNorm.MEAN).getDouble(0), 0, "accumulate writes nothing");
        PopulationSums merged = roundTrip(first).merge(roundTrip(none)).merge(roundTrip(second));
        assertEquals(3, merged.batches());
        assertEquals(1, merged.skipped(), "the single-example batch is skipped");
        PopulationEstimate e = PopulationStatistics.apply(parts, merged);

        assertEquals(3, e.batches());
        assertEquals(whole.params().dataType(), parts.params().dataType());
        assertArrayEquals(whole.params().toDoubleVector(), parts.params().toDoubleVector(), 1e-12);
        assertEquals(23.0 / 3, parts.getLayer(0).getParam(BatchNorm.MEAN).getDouble(0), 1e-12);
        assertEquals(55.0 / 3, parts.getLayer(0).getParam(BatchNorm.VAR).getDouble(0), 1e-12);
    }

    @Test
    void maxBatchesCountsOnlyBatchesOfAtLeastTwoExamples() {
        PopulationSums sums = PopulationStatistics.accumulate(twoLayerNetwork(),
                inputs(column(5), column(1, 2, 3), column(4, 6, 8)), 1);
        assertEquals(1, sums.batches());
        assertEquals(1, sums.skipped());
        assertArrayEquals(new double[] {2.0}, sums.sumOfMeans("layer0"), 1e-15);
    }

    @Test
    void applyingEmptyOrForeignSumsIsAClearError() {
        MultiLayerNetwork net = twoLayerNetwork();
        PopulationSums empty = PopulationStatistics.accumulate(net, Collections.emptyIterator(), 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PopulationStatistics.apply(net, empty));
        assertTrue(e.getMessage().contains("no mini-batch"), e.getMessage());
        PopulationSums foreign = new PopulationSums(List.of("other"));
        e = assertThrows(IllegalArgumentException.class, () -> PopulationStatistics.apply(net, foreign));
        assertTrue(e.getMessage().contains("[other]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> empty.merge(foreign));
        assertTrue(e.getMessage().contains("different layers"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PopulationStatistics.accumulate(net, Collections.emptyIterator(), 0));
        assertTrue(e.getMessage().contains("maxBatches"), e.getMessage());
    }

    @Test
    void sumsOfDifferentFeatureCountsDoNotMerge() {
        PopulationSums one = PopulationStatistics.accumulate(network(DataType.DOUBLE,
                new BatchNorm.Builder().nIn(1).build()), inputs(column(1, 2)), 1);
        PopulationSums two = PopulationStatistics.accumulate(network(DataType.DOUBLE,
                new BatchNorm.Builder().nIn(2).build()), inputs(column(1, 2, 3, 4).reshape(2, 2)), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> one.merge(two));
        assertTrue(e.getMessage().contains("features"), e.getMessage());
    }

    /** The mini-batches as network inputs, one array each (a MultiLayerNetwork has one input). */
    private static Iterator<INDArray[]> inputs(INDArray... batches) {
        return Arrays.stream(batches).map(batch -> new INDArray[] {batch}).iterator();
    }

    private static MultiLayerNetwork twoLayerNetwork() {
        return network(DataType.DOUBLE, new BatchNorm.Builder().nIn(1).build(),
                new BatchNorm.Builder().nIn(1).cumulativeAverage().build());
    }

    private static PopulationSums roundTrip(PopulationSums sums) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(sums);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (PopulationSums) in.readObject();
        }
    }
}
