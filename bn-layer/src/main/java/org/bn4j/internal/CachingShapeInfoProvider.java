package org.bn4j.internal;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.BaseShapeInfoProvider;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An ND4J shape-information provider that keeps every shape descriptor it has built (up to a bound), so that
 * creating an array, or a view, of a shape seen before allocates no new native shape buffer.
 *
 * <p>Why: ND4J 1.0.0-M2.1's CPU provider ({@code DirectShapeInfoProvider}) caches at most 1,000 descriptors and only
 * for two of its entry points; the one most array constructors use builds a new native shape buffer every time, and
 * each such buffer is a tracked object of ND4J's {@code DeallocatorService} (a weak reference, a map entry and a
 * deallocator that survive young collections until a deallocator thread frees them). A training step of the
 * example's network creates thousands of arrays of a few hundred distinct shapes.
 *
 * <p>Bound: {@code -Dbn4j.shapeCache.entries=N} (default 200,000 descriptors, each a few hundred bytes); past it,
 * shapes are built uncached as ND4J does. Cached buffers live as long as the JVM, as ND4J's own cached ones do.
 * Installed by {@link org.bn4j.ShapeInfoCache#install()}, or by ND4J itself with
 * {@code -Dshapeinfoprovider=org.bn4j.internal.CachingShapeInfoProvider}.
 */
public final class CachingShapeInfoProvider extends BaseShapeInfoProvider {

    private static final int MAX_ENTRIES = Integer.getInteger("bn4j.shapeCache.entries", 200_000);

    private final Map<Key, Pair<DataBuffer, long[]>> cache = new ConcurrentHashMap<>();

    @Override
    public Pair<DataBuffer, long[]> createShapeInformation(long[] shape, long[] stride, long elementWiseStride,
                                                           char order, DataType dataType, boolean empty) {
        Key key = new Key(shape, stride, elementWiseStride, order, dataType.ordinal(), empty ? 1 : 0);
        Pair<DataBuffer, long[]> cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        Pair<DataBuffer, long[]> built = super.createShapeInformation(shape, stride, elementWiseStride, order,
                dataType, empty);
        return remember(key, built);
    }

    @Override
    public Pair<DataBuffer, long[]> createShapeInformation(long[] shape, long[] stride, long elementWiseStride,
                                                           char order, long extras) {
        if (elementWiseStride < 0) {
            elementWiseStride = 0;                // as ND4J's CPU provider does on this entry point
        }
        Key key = new Key(shape, stride, elementWiseStride, order, extras, 2);
        Pair<DataBuffer, long[]> cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        return remember(key, super.createShapeInformation(shape, stride, elementWiseStride, order, extras));
    }

    private Pair<DataBuffer, long[]> remember(Key key, Pair<DataBuffer, long[]> built) {
        if (cache.size() >= MAX_ENTRIES) {
            return built;
        }
        Pair<DataBuffer, long[]> first = cache.putIfAbsent(key, built);
        if (first != null) {
            return first;
        }
        bytes.addAndGet(built.getFirst().length() * 8L);
        return built;
    }

    /** Forgets the kept descriptors (arrays that use them keep their buffers). */
    @Override
    public void purgeCache() {
        cache.clear();
    }

    /** The number of descriptors kept. */
    public int size() {
        return cache.size();
    }

    /** A shape descriptor: shape, strides, element-wise stride, order, type or extras, and which entry point. */
    private static final class Key {
        private final long[] shape;
        private final long[] stride;
        private final long ews;
        private final char order;
        private final long type;
        private final int kind;
        private final int hash;

        Key(long[] shape, long[] stride, long ews, char order, long type, int kind) {
            this.shape = shape.clone();
            this.stride = stride.clone();
            this.ews = ews;
            this.order = order;
            this.type = type;
            this.kind = kind;
            int h = Arrays.hashCode(this.shape);
            h = 31 * h + Arrays.hashCode(this.stride);
            h = 31 * h + Long.hashCode(ews);
            h = 31 * h + order;
            h = 31 * h + Long.hashCode(type);
            this.hash = 31 * h + kind;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && hash == k.hash && ews == k.ews && order == k.order && type == k.type
                    && kind == k.kind && Arrays.equals(shape, k.shape) && Arrays.equals(stride, k.stride);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
