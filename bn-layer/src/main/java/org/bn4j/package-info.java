/**
 * Configuration of the batch-normalization layer: {@link org.bn4j.BatchNorm} (builder, JSON, input types, updater and
 * regularization per parameter) and {@link org.bn4j.PopulationAveraging}, the choice of population-statistics
 * averaging. The other packages: {@code params} (parameter layout), {@code layer} (runtime), {@code math} and
 * {@code math.cpu} (arithmetic), {@code statistics} (Algorithm 2), {@code deploy} (folding, conversion, freezing);
 * docs/design.md draws the map.
 */
package org.bn4j;
