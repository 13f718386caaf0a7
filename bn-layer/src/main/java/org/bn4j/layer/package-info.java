/**
 * Runtime of a {@link org.bn4j.BatchNorm} layer, {@link org.bn4j.layer.BatchNormLayer}: training or inference mode,
 * the forward and backward passes (arithmetic in {@code org.bn4j.math}), the population-statistics update handed to
 * DL4J as a pseudo-gradient, and gradient normalization of γ/β.
 */
package org.bn4j.layer;
