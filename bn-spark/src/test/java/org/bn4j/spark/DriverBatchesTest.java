package org.bn4j.spark;

import org.deeplearning4j.datasets.iterator.AsyncDataSetIterator;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading mini-batches on the driver. */
class DriverBatchesTest {

    private static final List<DataSet> BATCHES = OffsetProblem.batches(31, 7);

    @Test
    void readsAtMostMaxBatchesAndLeavesTheRestInTheIterator() {
        DataSetIterator iterator = new ExistingDataSetIterator(BATCHES);

        assertEquals(3, DriverBatches.read(iterator, 3).size());
        assertTrue(iterator.hasNext(), "the rest is left");
        assertEquals(4, DriverBatches.read(iterator, Integer.MAX_VALUE).size());
        assertEquals(0, DriverBatches.read(iterator, Integer.MAX_VALUE).size());
    }

    @Test
    void batchesFromAPrefetchingIteratorStayValidAfterItMovesOn() {
        AsyncDataSetIterator iterator = new AsyncDataSetIterator(new ExistingDataSetIterator(BATCHES), 2, true);
        List<DataSet> read;
        try {
            read = DriverBatches.read(iterator, Integer.MAX_VALUE);
        } finally {
            iterator.shutdown();
        }

        assertEquals(BATCHES.size(), read.size());
        for (int i = 0; i < read.size(); i++) {
            assertFalse(read.get(i).getFeatures().isAttached(), "features out of any workspace");
            assertFalse(read.get(i).getLabels().isAttached(), "labels out of any workspace");
            assertEquals(BATCHES.get(i).getFeatures(), read.get(i).getFeatures(), "features of batch " + i);
            assertEquals(BATCHES.get(i).getLabels(), read.get(i).getLabels(), "labels of batch " + i);
        }
    }
}
