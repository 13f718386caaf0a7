package org.bn4j.inception.search;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Stops a candidate's training from inside {@code fit}: after every iteration it throws {@link
 * CandidateDivergedException} when the loss is NaN or infinite (training further would only waste the search's
 * time) and {@link CandidateStoppedException} when the search's {@link StopSignal} fired.
 */
final class TrainingGuard extends BaseTrainingListener {

    private final StopSignal stop;

    TrainingGuard(StopSignal stop) {
        this.stop = stop;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        double loss = model.score();
        if (!Double.isFinite(loss)) {
            throw new CandidateDivergedException("training loss became " + loss + " at iteration " + iteration);
        }
        String reason = stop.reason();
        if (reason != null) {
            throw new CandidateStoppedException(reason);
        }
    }
}
