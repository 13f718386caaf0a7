package org.bn4j.spark;

import org.apache.spark.api.java.JavaSparkContext;

/** Test helper: one local Spark context on loopback, with Spark's own logging kept quiet. */
final class LocalSpark {

    private LocalSpark() {
    }

    /** {@code local[2,2]}: two worker threads, and a failed task is retried once (spark.task.maxFailures = 2). */
    static JavaSparkContext start() {
        return new JavaSparkContext(SparkSettings.conf("local[2,2]", "bn4j-test"));
    }
}
