package org.bn4j.inception.train;

import org.bn4j.inception.UserError;

/**
 * Training stopped on a {@link StopRequest} after saving a checkpoint: the message says how to continue. A
 * {@link UserError} so that the command line reports it without a stack trace.
 */
public final class TrainingStopped extends UserError {

    TrainingStopped(String reason, int iteration, CheckpointStore checkpoints) {
        super("training stopped (" + reason + ") at iteration " + iteration + "; checkpoint saved in "
                + checkpoints.file() + ". Continue with: train --out " + checkpoints.file().getParent()
                + " --resume");
    }
}
