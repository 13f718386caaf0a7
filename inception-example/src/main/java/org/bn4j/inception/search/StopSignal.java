package org.bn4j.inception.search;

import org.deeplearning4j.arbiter.optimize.api.termination.TerminationCondition;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;

import java.util.concurrent.TimeUnit;

/**
 * When a search must stop: at its wall-time deadline or when stopping is requested (Ctrl-C). Arbiter checks its
 * termination conditions only between candidates, so the candidate in training also polls this signal after every
 * mini-batch ({@link TrainingGuard}). As a {@link TerminationCondition} it ends the runner's loop.
 */
public final class StopSignal implements TerminationCondition {

    private final long deadlineNanos;
    private volatile String reason;

    /** A signal whose deadline is {@code maxMinutes} from now ({@code <= 0}: no deadline). */
    public StopSignal(double maxMinutes) {
        this.deadlineNanos = maxMinutes > 0 ? System.nanoTime() + (long) (maxMinutes * 60e9) : Long.MAX_VALUE;
    }

    /** Asks the search to stop as soon as possible. */
    public void requestStop(String why) {
        if (reason == null) {
            reason = why;
        }
    }

    /** Why the search must stop, or null while it may go on. */
    public String reason() {
        if (reason == null && deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos >= 0) {
            reason = "wall-time limit reached";
        }
        return reason;
    }

    /** True when the search must stop. */
    public boolean stopped() {
        return reason() != null;
    }

    /** Seconds left before the deadline (infinite without one). */
    public double secondsLeft() {
        return deadlineNanos == Long.MAX_VALUE ? Double.POSITIVE_INFINITY
                : (deadlineNanos - System.nanoTime()) / 1e9;
    }

    @Override
    public void initialize(IOptimizationRunner runner) {
        // the deadline runs from construction: the data scan counts against the wall time
    }

    @Override
    public boolean terminate(IOptimizationRunner runner) {
        return stopped();
    }

    @Override
    public String toString() {
        double left = secondsLeft();
        return "StopSignal(" + (Double.isInfinite(left) ? "no deadline" : TimeUnit.SECONDS.toMinutes((long) left)
                + " min left") + (reason == null ? "" : ", " + reason) + ")";
    }
}
