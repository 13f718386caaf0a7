package org.bn4j.parallel;

import java.util.Locale;

/**
 * Where the wall time of a {@link ParallelTrainer}'s steps went, summed over {@link #steps()} steps (seconds):
 * <ul>
 *   <li>{@code forwardBackward}: replica 0's forward and backward pass, meeting points included;</li>
 *   <li>{@code meetingWaits}: of that, the time replica 0 waited at the BN layers' meeting points for the others;</li>
 *   <li>{@code replicaWait}: after its own pass, replica 0 waiting for the other replicas to finish theirs;</li>
 *   <li>{@code reduction}: summing the replicas' gradients;</li>
 *   <li>{@code update}: DL4J's updater, the parameter step and the listeners (serial).</li>
 * </ul>
 * {@code reduction + update} is the serial part of a step: {@code T(R) ≈ serial + parallel/R + waits} (Amdahl;
 * docs/parallel.md applies it to more cores).
 */
public record StepTimings(long steps, double wall, double forwardBackward, double meetingWaits, double replicaWait,
                          double reduction, double update) {

    /** Milliseconds per step of each part, in one line. */
    @Override
    public String toString() {
        double n = Math.max(1, steps) / 1000.0;
        return String.format(Locale.ROOT, "%d steps, ms per step: wall %.1f = forward+backward %.1f (of which waiting "
                        + "at BN meeting points %.1f) + waiting for the other replicas %.1f + gradient sum %.1f + "
                        + "update %.1f", steps, wall / n, forwardBackward / n, meetingWaits / n, replicaWait / n,
                reduction / n, update / n);
    }
}
