package org.bn4j.inception.search;

/** How a candidate of a search ended. */
public enum CandidateStatus {
    /** Trained and scored. */
    COMPLETED,
    /** Training loss or score became NaN or infinite. */
    DIVERGED,
    /** An exception ended it (bad configuration, out of memory, I/O, ...). */
    FAILED,
    /** The search stopped (wall-time limit or interruption) while it trained; it has no score. */
    STOPPED
}
