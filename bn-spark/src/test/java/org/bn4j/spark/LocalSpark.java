package org.bn4j.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Test extension: one local Spark context on loopback for a test class ({@code @RegisterExtension static}). After
 * the class it stops the context and checks that no thread it started is left running (daemon threads of pools that
 * Spark and DL4J keep per JVM are allowed; a non-daemon thread would keep the JVM alive).
 */
final class LocalSpark implements AfterAllCallback {

    private final Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
    /** {@code local[2,2]}: two worker threads, and a failed task is retried once (spark.task.maxFailures = 2). */
    final JavaSparkContext sc = new JavaSparkContext(SparkSettings.conf("local[2,2]", "bn4j-test"));

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        sc.stop();
        List<Thread> left = List.of();
        for (int wait = 0; wait < 50; wait++) {
            left = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && !t.isDaemon() && !before.contains(t)
                            && !t.getName().startsWith("junit-")) // JUnit's own timeout watcher
                    .collect(Collectors.toList());
            if (left.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("threads left running after the Spark context stopped: " + left);
    }
}
