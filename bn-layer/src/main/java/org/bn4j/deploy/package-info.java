/**
 * Rewrites of a trained network: folding batch normalization into the preceding layer
 * ({@link org.bn4j.deploy.BatchNormFolding}), conversion to and from DL4J's {@code BatchNormalization}
 * ({@link org.bn4j.deploy.BatchNormConversion}), and frozen statistics for fine-tuning
 * ({@link org.bn4j.deploy.BatchNormStatisticsFreezer}).
 */
package org.bn4j.deploy;
