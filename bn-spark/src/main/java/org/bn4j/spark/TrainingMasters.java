package org.bn4j.spark;

import org.deeplearning4j.optimize.solvers.accumulation.encoding.threshold.FixedThresholdAlgorithm;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.repartitioner.NoOpRepartitioner;
import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;
import org.nd4j.parameterserver.distributed.conf.VoidConfiguration;

/**
 * DL4J's two Spark training masters, set up for bn4j networks, and what each does to the population statistics of
 * batch-normalization layers. Both keep those statistics as network parameters updated by a pseudo-gradient (bn4j's
 * {@code BatchNorm} and DL4J's built-in layer alike), and neither gives population statistics:
 *
 * <ul>
 *   <li>{@link #parameterAveraging}: every worker trains its own copy for {@code averagingFrequency} mini-batches,
 *       then the driver averages all parameters, statistics included. The result is the average of the workers'
 *       moving averages: finite and reasonable, but a moving average of batch statistics (lagging behind the final
 *       weights, and for DL4J's layer of biased variances), not the paper's population statistics.</li>
 *   <li>{@link #gradientSharing}: workers exchange threshold-encoded updates. The statistics' pseudo-gradients are
 *       encoded like gradients, so each step moves every statistic by exactly ±threshold (or not at all): after a
 *       few epochs they are nowhere near the data's statistics. {@code SparkGraphTrainerTest} in this module shows it
 *       on a problem whose features sit far from 0: it asserts that after gradient sharing the first layer's E[x]
 *       is off by more than 1 and the test accuracy below 0.7, and after the exact pass off by less than 1e-12 and
 *       above 0.9 (it prints the values of each run).</li>
 * </ul>
 *
 * <p>So after either, run {@link SparkPopulationStatistics} (which {@link SparkGraphTrainer} does by default).
 */
public final class TrainingMasters {

    private TrainingMasters() {
    }

    /**
     * Synchronous parameter averaging. The training RDD must hold mini-batches of {@code batchSizePerWorker}
     * examples; each worker fits {@code averagingFrequency} of them between two averagings (5 is DL4J's usual value).
     * Updater state is averaged too.
     */
    public static TrainingMaster<?, ?> parameterAveraging(int batchSizePerWorker, int averagingFrequency) {
        return new ParameterAveragingTrainingMaster.Builder(batchSizePerWorker)
                .batchSizePerWorker(batchSizePerWorker)
                .averagingFrequency(averagingFrequency)
                .workerPrefetchNumBatches(2)
                .saveUpdater(true)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .build();
    }

    /**
     * Asynchronous gradient sharing (DL4J's {@code SharedTrainingMaster}) with a fixed encoding threshold. Every
     * machine uses UDP {@code port} (see {@link FixedPortSupplier}); {@code voidConfiguration} says where the driver
     * is ({@link #loopback(int)} for local mode, {@link #cluster(int)}). The RDD is used as it is partitioned: each
     * partition is one worker session, so give it as many partitions as workers. (DL4J's default repartitioner cuts
     * it into a partition per few mini-batches, each a separate session, and every session risks the rare hang of
     * DL4J's SharedTrainingWrapper, where a task waits forever for a training thread that is gone; fewer sessions,
     * fewer chances.) The hang itself is DL4J's: bound a fit by a timeout where it matters. The JVMs need Aeron's
     * longer timeout ({@link SparkSettings#extendAeronTimeout()}).
     */
    public static TrainingMaster<?, ?> gradientSharing(VoidConfiguration voidConfiguration, int batchSizePerWorker,
                                                       double threshold) {
        return new SharedTrainingMaster.Builder(voidConfiguration, batchSizePerWorker)
                .thresholdAlgorithm(new FixedThresholdAlgorithm(threshold))
                .batchSizePerWorker(batchSizePerWorker)
                .workersPerNode(1)
                .repartitioner(new NoOpRepartitioner())
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .build();
    }

    /**
     * Gradient sharing on a cluster: every machine uses UDP {@code port}; DL4J finds the driver's address from the
     * environment variable {@code SPARK_PUBLIC_DNS} or {@code DL4J_VOID_IP} on the driver (set one of them).
     */
    public static VoidConfiguration cluster(int port) {
        return VoidConfiguration.builder().unicastPort(port).portSupplier(new FixedPortSupplier(port)).build();
    }

    /** Gradient sharing in local mode: the driver and the workers talk over 127.0.0.1 on UDP {@code port}. */
    public static VoidConfiguration loopback(int port) {
        return VoidConfiguration.builder().unicastPort(port).portSupplier(new FixedPortSupplier(port))
                .controllerAddress(SparkSettings.LOOPBACK).build();
    }

    /**
     * Gradient sharing for the Spark master URL {@code sparkMaster}: {@link #loopback} if it is local
     * ({@link SparkSettings#isLocal}), else {@link #cluster}.
     */
    public static VoidConfiguration forMaster(String sparkMaster, int port) {
        return SparkSettings.isLocal(sparkMaster) ? loopback(port) : cluster(port);
    }
}
