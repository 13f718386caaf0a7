package org.bn4j.inception.train;

import org.bn4j.inception.UserError;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Locale;

/**
 * Training stopped because the loss or the weights stopped being finite numbers (NaN or infinity), almost always a
 * learning rate too high for the network. Thrown before the non-finite weights reach a checkpoint, so the last
 * checkpoint (if any) still holds finite weights. A {@link UserError}: the command prints the message, exits with
 * status 2, and the run can be resumed or restarted with a lower learning rate.
 */
public final class TrainingDiverged extends UserError {

    private static final String HINT = "The learning rate is probably too high: start a new run with a lower --lr "
            + "(in another --out folder)";

    private TrainingDiverged(String message) {
        super(message);
    }

    /**
     * Throws when {@code loss} of the mini-batch just trained is not finite.
     *
     * @param iteration      iterations done, this one included
     * @param learningRate   the learning rate of this iteration
     * @param lastCheckpoint what the checkpoint on disk holds, in words
     */
    public static void requireFiniteLoss(double loss, int iteration, double learningRate, String lastCheckpoint) {
        if (!Double.isFinite(loss)) {
            throw new TrainingDiverged(String.format(Locale.ROOT, "training diverged: the loss is %s at iteration %d "
                    + "(learning rate %s). %s; %s", loss, iteration, learningRate, HINT, lastCheckpoint));
        }
    }

    /** Throws when a weight of {@code network} is NaN or infinite (checked before every checkpoint is written). */
    public static void requireFiniteWeights(ComputationGraph network, String lastCheckpoint) {
        INDArray params = network.params();
        if (params.isNaN().any() || params.isInfinite().any()) {
            throw new TrainingDiverged(String.format(Locale.ROOT, "training diverged: the weights are no longer "
                    + "finite numbers (NaN or infinite) at iteration %d and were not saved. %s; %s",
                    network.getIterationCount(), HINT, lastCheckpoint));
        }
    }
}
