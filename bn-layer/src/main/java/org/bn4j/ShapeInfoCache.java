package org.bn4j;

import org.bn4j.internal.CachingShapeInfoProvider;
import org.nd4j.linalg.api.ndarray.ShapeInfoProvider;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;

/**
 * Makes ND4J keep the native shape information of every array shape it has seen, so that creating an array or a view
 * of a known shape allocates nothing native and nothing that ND4J's deallocator must track. A JVM-wide ND4J setting
 * with no effect on any result: only on the time of a training step and on the garbage collector's work.
 *
 * <p>Why: with ND4J 1.0.0-M2.1's own provider a training step of the example's network builds thousands of shape
 * buffers, each tracked by a weak reference, a map entry and a deallocator until a deallocator thread frees it; they
 * survive young collections and made them long, and two training threads contend for the same map. Measured on the
 * example's network (docs/parallel.md, "Third session"). The cache holds at most
 * {@code -Dbn4j.shapeCache.entries} descriptors (default 200,000, a few hundred bytes each).
 *
 * <p>{@link org.bn4j.parallel.ParallelTrainer} installs it when it is built; for plain {@code fit}, call
 * {@link #install()} once, or start the JVM with
 * {@code -Dshapeinfoprovider=org.bn4j.internal.CachingShapeInfoProvider} (ND4J reads it when it starts).
 * {@code -Dbn4j.shapeCache=off} makes {@link #install()} do nothing (ND4J's own provider stays).
 */
public final class ShapeInfoCache {

    private static final Logger log = LoggerFactory.getLogger(ShapeInfoCache.class);

    private ShapeInfoCache() {
    }

    /**
     * Installs the cache as ND4J's shape-information provider, unless it already is or {@code -Dbn4j.shapeCache=off}.
     * Returns whether it is installed afterwards (false, with a warning, when ND4J's field cannot be set).
     */
    public static synchronized boolean install() {
        if (installed()) {
            return true;
        }
        if ("off".equals(System.getProperty("bn4j.shapeCache"))) {
            return false;                          // -Dbn4j.shapeCache=off: ND4J's own provider stays
        }
        try {
            Field field = Nd4j.class.getDeclaredField("shapeInfoProvider");
            field.setAccessible(true);
            field.set(null, new CachingShapeInfoProvider());
            log.info("bn4j: ND4J shape information is cached (ShapeInfoCache)");
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("bn4j: could not install the shape-information cache ({}); start the JVM with "
                    + "-Dshapeinfoprovider={} instead", e, CachingShapeInfoProvider.class.getName());
            return false;
        }
    }

    /** Whether ND4J's shape-information provider is the cache. */
    public static boolean installed() {
        ShapeInfoProvider provider = Nd4j.getShapeInfoProvider();
        return provider instanceof CachingShapeInfoProvider;
    }
}
