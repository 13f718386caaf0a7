package org.bn4j.inception.experiment;

import org.bn4j.inception.UserError;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Random;

/**
 * An endless supply of mini-batches drawn from an in-memory training set, for training by a fixed number of steps
 * as in Ioffe &amp; Szegedy 2015, §4.1 (mini-batches of 60): the examples are reshuffled at every pass, and each pass
 * is cut into whole batches (the remainder of a pass is skipped).
 */
public final class MiniBatches {

    private final DataSet data;
    private final int batchSize;
    private final Random random;
    private int[] order;
    private int position;

    /** Batches of {@code batchSize} from {@code data}, shuffled with {@code seed}. */
    public MiniBatches(DataSet data, int batchSize, long seed) {
        if (batchSize < 2 || batchSize > data.numExamples()) {
            throw new UserError("batch size must be in [2, " + data.numExamples() + "], got "
                    + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.random = new Random(seed);
        this.order = shuffled();
    }

    /** The next mini-batch. */
    public DataSet next() {
        if (position + batchSize > order.length) {
            order = shuffled();
            position = 0;
        }
        int[] rows = Arrays.copyOfRange(order, position, position + batchSize);
        position += batchSize;
        return new DataSet(Nd4j.pullRows(data.getFeatures(), 1, rows), Nd4j.pullRows(data.getLabels(), 1, rows));
    }

    private int[] shuffled() {
        int n = data.numExamples();
        int[] result = new int[n];
        for (int i = 0; i < n; i++) {
            result[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = result[i];
            result[i] = result[j];
            result[j] = swap;
        }
        return result;
    }
}
