package org.bn4j.inception.search;

/** Thrown inside a candidate's training when the search must stop (deadline or interruption). */
public class CandidateStoppedException extends RuntimeException {
    /** The candidate stopped for {@code reason}. */
    public CandidateStoppedException(String reason) {
        super(reason);
    }
}
