package org.bn4j.inception.search;

/**
 * One row of a search's results: the candidate's configuration, how it ended, its score and time.
 *
 * @param index   candidate number, from 0, in creation order
 * @param status  how it ended
 * @param score   validation accuracy in [0, 1]; null unless {@link CandidateStatus#COMPLETED}
 * @param seconds wall time of training and scoring
 * @param candidate the hyperparameters
 * @param recipe  name of the recipe the hyperparameters were applied to
 * @param message why it did not complete (exception message), null when it did
 */
public record CandidateRecord(int index, CandidateStatus status, Double score, double seconds,
                              SearchCandidate candidate, String recipe, String message) {

    /** True for a completed candidate with a score. */
    public boolean scored() {
        return status == CandidateStatus.COMPLETED && score != null;
    }
}
