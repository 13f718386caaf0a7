/**
 * bn4j on Apache Spark: a distributed Algorithm 2 ({@link org.bn4j.spark.SparkPopulationStatistics}) that computes
 * the exact population statistics of every batch-normalization layer on the executors, and training helpers for
 * DL4J's two training masters.
 */
package org.bn4j.spark;
