package org.bn4j.spark;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.ArrayList;
import java.util.List;

/**
 * Mini-batches read on the driver, for {@link SparkGraphTrainer#fitEpoch(List)} and
 * {@link SparkGraphTrainer#estimatePopulation(List)}: data that only the driver can read (files on its disk, an
 * iterator with augmentation) is read here and shipped to the executors by the trainer.
 */
public final class DriverBatches {

    private DriverBatches() {
    }

    /**
     * Up to {@code max} mini-batches of {@code batches}, features and labels copied out of any workspace of the
     * (possibly prefetching) iterator, so that they stay valid after the iterator moves on. Masks are not kept.
     */
    public static List<DataSet> read(DataSetIterator batches, int max) {
        List<DataSet> out = new ArrayList<>();
        while (out.size() < max && batches.hasNext()) {
            org.nd4j.linalg.dataset.api.DataSet batch = batches.next();
            out.add(new DataSet(batch.getFeatures().detach(), batch.getLabels().detach()));
        }
        return out;
    }
}
