package org.bn4j.inception.cli;

import org.bn4j.inception.UserError;
import picocli.CommandLine.Option;

/**
 * {@code --replicas N}: how many cores a training step uses, through bn4j's {@code ParallelTrainer} (each mini-batch
 * split over N replicas of the network with synchronized batch statistics; the same SGD step as one network).
 */
public class ReplicasOption {

    @Option(names = "--replicas", defaultValue = "0", paramLabel = "N",
            description = "Replicas of the network per training step, one per core: 0 = one per available core, "
                    + "1 = the network's own fit on this thread (default: ${DEFAULT-VALUE}).")
    int replicas;

    /** The replica count, 0 resolved to the number of available processors. */
    public int replicas() {
        if (replicas < 0) {
            throw new UserError("--replicas must be >= 0 (0 = one per core), got " + replicas);
        }
        return replicas == 0 ? Runtime.getRuntime().availableProcessors() : replicas;
    }
}
