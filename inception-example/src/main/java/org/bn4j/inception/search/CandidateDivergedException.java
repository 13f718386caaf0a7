package org.bn4j.inception.search;

/** Thrown when a candidate's training loss or score becomes NaN or infinite. */
public class CandidateDivergedException extends RuntimeException {
    /** Divergence described by {@code message}. */
    public CandidateDivergedException(String message) {
        super(message);
    }
}
