package org.bn4j.inception.train;

import java.util.List;

/**
 * Decides, after every validation, whether a {@link TrainingRun} stops before its last epoch (e.g. "to convergence":
 * no new best accuracy for a number of validations). A rule must depend only on the validations it is given, so that
 * a resumed run stops exactly where an uninterrupted one would.
 */
@FunctionalInterface
public interface StopRule {

    /** Never stops: the run trains all its epochs. */
    StopRule NEVER = validations -> false;

    /** True to stop now, given every validation so far (oldest first, the latest last). */
    boolean stop(List<Validation> validations);
}
