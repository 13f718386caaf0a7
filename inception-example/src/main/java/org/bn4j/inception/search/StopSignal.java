package org.bn4j.inception.search;

import org.deeplearning4j.arbiter.optimize.api.termination.TerminationCondition;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

import java.util.concurrent.TimeUnit;

/**
 * When a search, or the candidate in training, must stop: at the search's wall-time deadline, when stopping is
 * requested (Ctrl-C), or (for the candidate) when its training loss diverges. Arbiter checks its termination
 * conditions only between candidates (this is one), so the candidate in training also has this signal as a training
 * listener: after every mini-batch it throws {@link CandidateEnded} with status DIVERGED when the loss is NaN or
 * infinite (training further would only waste the search's time) and STOPPED when the search must stop.
 */
public final class StopSignal extends BaseTrainingListener implements TerminationCondition {

    private final long deadlineNanos;
    private volatile String reason;

    /** A signal whose deadline is {@code maxMinutes} from now ({@code <= 0}: no deadline). */
    public StopSignal(double maxMinutes) {
        this.deadlineNanos = maxMinutes > 0 ? System.nanoTime() + (long) (maxMinutes * 60e9) : Long.MAX_VALUE;
    }

    /** Ends a candidate early, with the status it ends with (DIVERGED or STOPPED) and why. */
    public static final class CandidateEnded extends RuntimeException {
        private final CandidateRecord.Status status;

        /** The candidate ends with {@code status} for {@code message}. */
        public CandidateEnded(CandidateRecord.Status status, String message) {
            super(message);
            this.status = status;
        }

        /** How the candidate ended. */
        public CandidateRecord.Status status() {
            return status;
        }
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

    /** Throws {@link CandidateEnded} (STOPPED) when the search must stop. */
    public void check() {
        String why = reason();
        if (why != null) {
            throw new CandidateEnded(CandidateRecord.Status.STOPPED, why);
        }
    }

    /** After every iteration of a candidate's training: DIVERGED for a non-finite loss, else {@link #check()}. */
    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        double loss = model.score();
        if (!Double.isFinite(loss)) {
            throw new CandidateEnded(CandidateRecord.Status.DIVERGED,
                    "training loss became " + loss + " at iteration " + iteration);
        }
        check();
    }

    @Override
    public void initialize(IOptimizationRunner runner) {
        // the deadline runs from construction: the data scan counts against the wall time
    }

    @Override
    public boolean terminate(IOptimizationRunner runner) {
        return reason() != null;
    }

    @Override
    public String toString() {
        double left = deadlineNanos == Long.MAX_VALUE ? Double.POSITIVE_INFINITY
                : (deadlineNanos - System.nanoTime()) / 1e9;
        return "StopSignal(" + (Double.isInfinite(left) ? "no deadline" : TimeUnit.SECONDS.toMinutes((long) left)
                + " min left") + (reason == null ? "" : ", " + reason) + ")";
    }
}
