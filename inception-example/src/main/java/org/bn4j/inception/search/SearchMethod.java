package org.bn4j.inception.search;

/** How candidates are drawn from the search space. */
public enum SearchMethod {
    /** Independent random samples (log-uniform ranges sampled on a log scale). */
    RANDOM,
    /** Every combination of a grid: each range cut into the configured number of points, discrete choices as is. */
    GRID
}
