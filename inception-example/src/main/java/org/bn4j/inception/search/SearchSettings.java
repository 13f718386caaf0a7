package org.bn4j.inception.search;

import org.bn4j.inception.UserError;
import java.nio.file.Path;

/**
 * How long and how a search runs.
 *
 * @param method     random or grid search
 * @param candidates stop after this many candidates (a grid may hold fewer)
 * @param maxMinutes stop after this wall time, the running candidate included ({@code <= 0}: no limit)
 * @param gridPoints points per continuous range in grid search
 * @param outDir     where results, plot and best model go
 * @param seed       seed of the random search
 */
public record SearchSettings(SearchMethod method, int candidates, double maxMinutes, int gridPoints, Path outDir,
                             long seed) {

    /** Throws IllegalArgumentException for a non-positive count. */
    public SearchSettings {
        if (candidates <= 0) {
            throw new UserError("the number of candidates must be > 0, got " + candidates);
        }
        if (gridPoints < 1) {
            throw new UserError("grid points must be >= 1, got " + gridPoints);
        }
    }
}
