package org.bn4j.inception.cli;

import org.bn4j.inception.experiment.NativeThreads;
import picocli.CommandLine.Option;

/**
 * {@code --threads N}: how many threads ND4J's native code (OpenMP, oneDNN, BLAS) uses in an experiment's JVM. The
 * experiments' steps get their cores from replicas, so one native thread per replica is the default.
 */
public class NativeThreadsOption {

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "ND4J threads; 0 keeps ND4J's default (default: ${DEFAULT-VALUE}).")
    int threads;

    /** Applies the option to ND4J's native thread pools (0: leaves them as they are). */
    void apply() {
        NativeThreads.limit(threads);
    }
}
