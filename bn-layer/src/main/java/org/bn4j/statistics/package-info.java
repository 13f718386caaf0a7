/**
 * Algorithm 2 of the paper: population statistics of a trained network
 * ({@link org.bn4j.statistics.PopulationStatistics}), in one go or in mergeable parts
 * ({@link org.bn4j.statistics.PopulationSums}), for bn4j and DL4J batch-normalization layers alike
 * ({@link org.bn4j.statistics.NormalizationLayers}).
 */
package org.bn4j.statistics;
