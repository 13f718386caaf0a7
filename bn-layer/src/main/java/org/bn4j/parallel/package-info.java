/**
 * Training on every core: {@link org.bn4j.parallel.ParallelTrainer} splits each mini-batch over replicas of a
 * network (one thread each), synchronizes bn4j's batch statistics across them, sums their gradients and applies one
 * update: the same SGD step as one network on the whole mini-batch.
 */
package org.bn4j.parallel;
