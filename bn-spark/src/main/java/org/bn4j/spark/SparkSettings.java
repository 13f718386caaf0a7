package org.bn4j.spark;

import org.apache.spark.SparkConf;

/**
 * A {@link SparkConf} for bn4j jobs. For a local master ({@code local}, {@code local[N]}, {@code local[N,F]},
 * {@code local[*]}) the driver binds to the loopback address only and the web UI is off, so that a local run opens
 * no port on the network (set the environment variable {@code SPARK_LOCAL_IP=127.0.0.1} too, which Spark reads
 * before any configuration); on a cluster master these are left to spark-submit and the cluster's configuration.
 *
 * <p>The JVM running the driver (and each executor) needs Java 17's {@code --add-opens} flags that Spark lists, and
 * for {@link TrainingMasters#gradientSharing} the system property {@value #AERON_TIMEOUT} set to
 * {@value #AERON_TIMEOUT_NANOS} ({@link #extendAeronTimeout()} in local mode); see docs/spark.md.
 */
public final class SparkSettings {

    /** The loopback address a local master binds to. */
    public static final String LOOPBACK = "127.0.0.1";

    /** System property of Aeron's publication timeout (ns), which gradient sharing needs longer than DL4J sets it. */
    public static final String AERON_TIMEOUT = "aeron.publication.unblock.timeout";

    /** The value of {@link #AERON_TIMEOUT} for gradient sharing: 60 s, a chosen margin, not a measured bound. */
    public static final String AERON_TIMEOUT_NANOS = "60000000000";

    private SparkSettings() {
    }

    /** A configuration for {@code master} (any Spark master URL) named {@code appName}. */
    public static SparkConf conf(String master, String appName) {
        if (master == null || master.isBlank()) {
            throw new IllegalArgumentException("the Spark master URL is empty (e.g. local[2] or spark://host:7077)");
        }
        SparkConf conf = new SparkConf().setMaster(master).setAppName(appName);
        if (isLocal(master)) {
            conf.set("spark.driver.host", LOOPBACK).set("spark.driver.bindAddress", LOOPBACK)
                    .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false");
        }
        return conf;
    }

    /**
     * Sets {@link #AERON_TIMEOUT} to {@value #AERON_TIMEOUT_NANOS} in this JVM unless it is set already; call it
     * before the first gradient-sharing fit. That covers local mode, where the executors run in this JVM; on a
     * cluster give the executors the same property as a JVM flag too (docs/spark.md).
     */
    public static void extendAeronTimeout() {
        if (System.getProperty(AERON_TIMEOUT) == null) {
            System.setProperty(AERON_TIMEOUT, AERON_TIMEOUT_NANOS);
        }
    }

    /** Whether {@code master} runs everything in this JVM. */
    public static boolean isLocal(String master) {
        return master.equals("local") || master.startsWith("local[");
    }
}
