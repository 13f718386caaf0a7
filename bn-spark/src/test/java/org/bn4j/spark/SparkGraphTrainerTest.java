package org.bn4j.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.bn4j.statistics.PopulationStatistics;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training with DL4J's training masters on Spark, then the distributed Algorithm 2 pass. */
class SparkGraphTrainerTest {

    @RegisterExtension
    static final LocalSpark SPARK = new LocalSpark();
    private static final JavaSparkContext sc = SPARK.sc;
    private static final List<DataSet> TRAIN = OffsetProblem.batches(21, 60);
    private static final List<DataSet> TEST = OffsetProblem.batches(22, 20);

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void parameterAveragingTrainsEndToEndAndThePassGivesTheExactStatistics() {
        ComputationGraph net = OffsetProblem.network();
        JavaRDD<DataSet> data = sc.parallelize(TRAIN, 2).cache();
        SparkGraphTrainer trainer = new SparkGraphTrainer(sc, net,
                TrainingMasters.parameterAveraging(OffsetProblem.BATCH, 5)).populationBatches(40);

        ComputationGraph trained = trainer.fit(data, 2);

        assertSame(net, trained, "the network given is the one trained");
        assertTrue(trained.getConfiguration().getIterationCount() > 0, "iterations counted");
        double accuracy = OffsetProblem.accuracy(trained, TEST);
        assertTrue(accuracy > 0.9, "accuracy " + accuracy);
        ComputationGraph reference = trained.clone();
        PopulationStatistics.estimate(reference, new ExistingDataSetIterator(TRAIN), 40);
        assertArrayEquals(reference.params().toDoubleVector(), trained.params().toDoubleVector(), 1e-12);
        data.unpersist();
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void driverBatchesFitAsEpochsThatCountTheirIterationsAndThePassGivesTheExactStatistics() {
        ComputationGraph net = OffsetProblem.network();
        SparkGraphTrainer trainer = new SparkGraphTrainer(sc, net,
                TrainingMasters.parameterAveraging(OffsetProblem.BATCH, 5)).partitions(2).populationBatches(40);

        assertSame(net, trainer.fitEpoch(List.of()), "the network given is the one trained");
        assertEquals(0, net.getIterationCount(), "an empty epoch fits nothing");
        trainer.fitEpoch(TRAIN);
        assertEquals(TRAIN.size(), net.getIterationCount(), "an epoch counts its mini-batches, as on one machine");
        trainer.fitEpoch(TRAIN);
        assertEquals(2 * TRAIN.size(), net.getIterationCount(), "and the next one adds its own");

        ComputationGraph reference = net.clone();
        PopulationStatistics.estimate(reference, new ExistingDataSetIterator(TRAIN), 40);
        assertEquals(40, trainer.estimatePopulation(TRAIN).batches());
        assertArrayEquals(reference.params().toDoubleVector(), net.params().toDoubleVector(), 1e-12);
        double accuracy = OffsetProblem.accuracy(net, TEST);
        assertTrue(accuracy > 0.9, "accuracy " + accuracy);
    }

    @Test
    void partitionsBelowOneAreAnError() {
        SparkGraphTrainer trainer = new SparkGraphTrainer(sc, OffsetProblem.network(),
                TrainingMasters.parameterAveraging(OffsetProblem.BATCH, 5));
        assertThrows(IllegalArgumentException.class, () -> trainer.partitions(0));
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void gradientSharingLeavesBadStatisticsThatThePassRepairs() throws IOException {
        ComputationGraph net = OffsetProblem.network();
        // One fit over the data three times: DL4J's SharedTrainingMaster hangs rarely per fit (the timeout bounds it)
        JavaRDD<DataSet> threeEpochs = sc.parallelize(TRAIN, 2).union(sc.parallelize(TRAIN, 2))
                .union(sc.parallelize(TRAIN, 2)).repartition(2); // the master persists it itself
        SparkGraphTrainer trainer = new SparkGraphTrainer(sc, net,
                TrainingMasters.gradientSharing(TrainingMasters.loopback(freePort()), OffsetProblem.BATCH, 1e-3));

        trainer.fitEpoch(threeEpochs);
        double errorBefore = OffsetProblem.firstLayerMeanError(net, TRAIN);
        double accuracyBefore = OffsetProblem.accuracy(net, TEST);
        trainer.estimatePopulation(sc.parallelize(TRAIN, 2));
        double errorAfter = OffsetProblem.firstLayerMeanError(net, TRAIN);
        double accuracyAfter = OffsetProblem.accuracy(net, TEST);

        String report = String.format("mean error %.3f -> %.3f, accuracy %.3f -> %.3f", errorBefore, errorAfter,
                accuracyBefore, accuracyAfter);
        System.out.println("gradient sharing: " + report);
        assertTrue(errorBefore > 1.0, "statistics bad after gradient sharing: " + report);
        assertTrue(accuracyBefore < 0.7, "accuracy with those statistics is poor: " + report);
        assertTrue(errorAfter < 1e-12, "statistics close to the data's after the pass: " + report);
        assertTrue(accuracyAfter > 0.9, "good accuracy after the pass: " + report);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
