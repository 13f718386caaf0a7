package org.bn4j.inception.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Stands in for kill -9 in tests: throws {@link SimulatedCrash} when training reaches the given iteration (1-based
 * count of iterations done), so the run stops between checkpoints without saving anything.
 */
public final class CrashAtIteration extends BaseTrainingListener {

    private final int iteration;

    /** Crashes when {@code iteration} iterations have been done. */
    public CrashAtIteration(int iteration) {
        this.iteration = iteration;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (iteration + 1 >= this.iteration) {
            throw new SimulatedCrash(iteration);
        }
    }

    /** The simulated crash. */
    public static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(int iteration) {
            super("simulated crash at iteration " + iteration);
        }
    }
}
