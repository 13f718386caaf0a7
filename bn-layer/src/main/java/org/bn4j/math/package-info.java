/**
 * The arithmetic of batch normalization as pure functions over arrays: the kernel contract
 * {@link org.bn4j.math.BatchNormKernels} (training forward, backward, inference, backward with fixed statistics), its
 * portable ND4J implementation, the feature layouts, and the population-statistics update
 * ({@link org.bn4j.math.PopulationUpdate}). The fused CPU kernels are in {@code org.bn4j.math.cpu}.
 */
package org.bn4j.math;
