package org.bn4j.inception.search;

/**
 * One row of a search's results: the candidate's configuration, how it ended, its score and time.
 *
 * @param index     candidate number, from 0, in creation order
 * @param status    how it ended
 * @param score     validation accuracy in [0, 1]; null unless {@link Status#COMPLETED}
 * @param seconds   wall time of training and scoring
 * @param candidate the hyperparameters
 * @param recipe    name of the recipe the hyperparameters were applied to
 * @param message   why it did not complete (exception message), null when it did
 */
public record CandidateRecord(int index, Status status, Double score, double seconds, SearchCandidate candidate,
                              String recipe, String message) {

    /** How a candidate ended (finer than Arbiter's {@code CandidateStatus}, to which {@link #arbiter()} maps it). */
    public enum Status {
        /** Trained and scored. */
        COMPLETED,
        /** Training loss or score became NaN or infinite. */
        DIVERGED,
        /** An exception ended it (bad configuration, out of memory, I/O, ...). */
        FAILED,
        /** The search stopped (wall-time limit or interruption) while it trained; it has no score. */
        STOPPED;

        /** Arbiter's status for this one: Complete, Cancelled (stopped) or Failed. */
        public org.deeplearning4j.arbiter.optimize.runner.CandidateStatus arbiter() {
            return switch (this) {
                case COMPLETED -> org.deeplearning4j.arbiter.optimize.runner.CandidateStatus.Complete;
                case STOPPED -> org.deeplearning4j.arbiter.optimize.runner.CandidateStatus.Cancelled;
                case DIVERGED, FAILED -> org.deeplearning4j.arbiter.optimize.runner.CandidateStatus.Failed;
            };
        }
    }

    /** True for a completed candidate with a score. */
    public boolean scored() {
        return status == Status.COMPLETED && score != null;
    }
}
