package org.bn4j.internal;

import org.bn4j.ShapeInfoCache;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.options.ArrayOptionsHelper;
import org.nd4j.linalg.cpu.nativecpu.DirectShapeInfoProvider;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cached shape information is ND4J's own, bit for bit, and a shape seen before gets the same buffer. */
class CachingShapeInfoProviderTest {

    private static final long[][][] SHAPES_AND_STRIDES = {
            {{2, 3}, {3, 1}},
            {{2, 3}, {1, 2}},
            {{4, 8, 5, 5}, {200, 25, 5, 1}},
            {{4, 5, 5, 8}, {200, 40, 8, 1}},
            {{7}, {1}},
            {{1, 7}, {7, 1}},
            {{3, 1, 2}, {2, 2, 1}},
    };

    @Test
    void shapeInformationEqualsNd4jsOwnAndIsReusedForTheSameShape() {
        CachingShapeInfoProvider cached = new CachingShapeInfoProvider();
        DirectShapeInfoProvider nd4j = new DirectShapeInfoProvider();
        for (long[][] ss : SHAPES_AND_STRIDES) {
            for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE, DataType.INT64}) {
                for (char order : new char[] {'c', 'f'}) {
                    for (boolean empty : new boolean[] {false, true}) {
                        Pair<DataBuffer, long[]> ours = cached.createShapeInformation(ss[0], ss[1], 1, order, type,
                                empty);
                        Pair<DataBuffer, long[]> theirs = nd4j.createShapeInformation(ss[0], ss[1], 1, order, type,
                                empty);
                        assertArrayEquals(theirs.getSecond(), ours.getSecond());
                        assertArrayEquals(theirs.getFirst().asLong(), ours.getFirst().asLong());
                        assertSame(ours, cached.createShapeInformation(ss[0].clone(), ss[1].clone(), 1, order, type,
                                empty), "the same shape again: the same buffer");
                    }
                }
                long extras = ArrayOptionsHelper.setOptionBit(0L, type);
                assertArrayEquals(nd4j.createShapeInformation(ss[0], ss[1], -1, 'c', extras).getSecond(),
                        cached.createShapeInformation(ss[0], ss[1], -1, 'c', extras).getSecond());
            }
        }
        // shape and stride arrays are copied: changing the caller's array does not change the cache
        long[] shape = {5, 6};
        long[] stride = {6, 1};
        Pair<DataBuffer, long[]> first = cached.createShapeInformation(shape, stride, 1, 'c', DataType.FLOAT, false);
        shape[0] = 9;
        Pair<DataBuffer, long[]> other = cached.createShapeInformation(shape, stride, 1, 'c', DataType.FLOAT, false);
        assertEquals(9, other.getSecond()[1]);
        assertEquals(5, first.getSecond()[1]);
    }

    @Test
    void arraysViewsAndOpsGiveTheSameValuesWithTheCacheInstalled() {
        INDArray before = arithmetic();
        assertTrue(ShapeInfoCache.install());
        assertTrue(ShapeInfoCache.installed());
        assertTrue(ShapeInfoCache.install(), "idempotent");
        assertEquals(before, arithmetic());
        assertEquals(before, arithmetic(), "again, from cached shapes");
    }

    /** Creation, views, permutes, reshapes, broadcasts and reductions of a fixed array. */
    private static INDArray arithmetic() {
        INDArray x = Nd4j.linspace(DataType.DOUBLE, 1, 120, 1).reshape(2, 3, 4, 5);
        INDArray view = x.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 3), NDArrayIndex.all(),
                NDArrayIndex.point(2));
        INDArray permuted = x.permute(0, 2, 3, 1).dup('c').reshape(40, 3);
        INDArray column = permuted.sum(0);
        INDArray scaled = permuted.mulRowVector(column).sum(1).reshape(2, 4, 5);
        return Nd4j.concat(0, view.reshape(view.length()), scaled.reshape(scaled.length()),
                x.std(true, 0, 2, 3).castTo(DataType.DOUBLE));
    }
}
