package org.bn4j.inception.monitor;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PercentilesTest {

    @Test
    void percentilesInterpolateBetweenClosestRanksLikeNumpy() {
        // numpy.percentile([5, 1, 4, 2, 3], [0, 15, 25, 50, 85, 100]) = [1, 1.6, 2, 3, 4.4, 5]
        double[] result = Percentiles.of(new float[]{5, 1, 4, 2, 3}, new double[]{0, 15, 25, 50, 85, 100});
        assertArrayEquals(new double[]{1, 1.6, 2, 3, 4.4, 5}, result, 1e-6);
    }

    @Test
    void aSingleValueIsEveryPercentile() {
        assertArrayEquals(new double[]{7, 7, 7}, Percentiles.of(new float[]{7}, Percentiles.PAPER), 0);
    }

    @Test
    void badPercentilesAndEmptyValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Percentiles.of(new float[0], Percentiles.PAPER));
        assertThrows(IllegalArgumentException.class, () -> Percentiles.of(new float[]{1}, new double[]{101}));
        assertThrows(IllegalArgumentException.class, () -> Percentiles.parse(" , "));
        assertArrayEquals(new double[]{2.5, 50, 97.5}, Percentiles.parse("2.5, 50,97.5"), 0);
    }

    @Test
    void labelsDropTrailingZeros() {
        assertEquals("p15", Percentiles.label(15));
        assertEquals("p2.5", Percentiles.label(2.5));
    }

    @Test
    void aUnitOfDenseInputIsAColumn() {
        INDArray x = Nd4j.create(new float[][]{{1, 10}, {2, 20}, {3, 30}});
        float[] column = Percentiles.sample(x, 1, 100, 0);
        Arrays.sort(column);
        assertArrayEquals(new float[]{10, 20, 30}, column, 0);
        assertEquals(6, Percentiles.sample(x, MonitorTarget.ALL_UNITS, 100, 0).length);
    }

    @Test
    void aUnitOfConvolutionalInputIsAChannel() {
        INDArray x = Nd4j.zeros(DataType.FLOAT, 2, 3, 4, 4);
        x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(2))
                .assign(5);
        float[] channel = Percentiles.sample(x, 2, 1000, 0);
        assertEquals(2 * 4 * 4, channel.length);
        for (float v : channel) {
            assertEquals(5f, v);
        }
        assertThrows(IllegalArgumentException.class, () -> Percentiles.sample(x, 3, 1000, 0));
    }

    @Test
    void largeInputsAreSubsampledWithoutReplacement() {
        INDArray x = Nd4j.arange(10_000).castTo(DataType.FLOAT).reshape(100, 100);
        float[] sample = Percentiles.sample(x, MonitorTarget.ALL_UNITS, 500, 42);
        assertEquals(500, sample.length);
        long distinct = new java.util.HashSet<>(java.util.Arrays.asList(box(sample))).size();
        assertEquals(500, distinct);
        double median = Percentiles.of(sample, new double[]{50})[0];
        assertTrue(Math.abs(median - 5000) < 1000, "a uniform subsample keeps the median near 5000: " + median);
    }

    private static Float[] box(float[] values) {
        Float[] boxed = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }
}
