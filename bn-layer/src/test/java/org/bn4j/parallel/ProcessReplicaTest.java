package org.bn4j.parallel;

import org.bn4j.BatchNorm;
import org.bn4j.PopulationAveraging;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.bn4j.parallel.ParallelTrainerTest.assertClose;
import static org.bn4j.parallel.ParallelTrainerTest.batch;
import static org.bn4j.parallel.ParallelTrainerTest.convNetwork;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replicas in processes of their own ({@link ReplicaPlacement#PROCESSES}) give the step of one network on the whole
 * mini-batch, as replicas on threads do, and bit for bit the same parameters as replicas on threads; a failing
 * replica process stops the step and leaves the network as before; no process is left after {@code close()}.
 * Each trainer starts JVMs, so the cases are few and small.
 */
class ProcessReplicaTest {

    private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void processReplicasGiveOneNetworksStepOnTheWholeBatchAndTheThreadsResultsBitForBit() {
        MultiLayerConfiguration conf = convNetwork(DataType.DOUBLE, CNN2DFormat.NCHW, PopulationAveraging.MOVING_AVERAGE);
        MultiLayerNetwork single = init(conf.clone());
        MultiLayerNetwork onThreads = init(conf.clone());
        MultiLayerNetwork inProcesses = init(conf.clone());
        try (ParallelTrainer threads = ParallelTrainer.builder(onThreads).replicas(3).build();
             ParallelTrainer processes = ParallelTrainer.builder(inProcesses).replicas(3)
                     .placement(ReplicaPlacement.PROCESSES).build()) {
            assertEquals(ReplicaPlacement.PROCESSES, processes.placement());
            for (int step = 0; step < 4; step++) {
                DataSet b = batch(DataType.DOUBLE, CNN2DFormat.NCHW, 11, 200 + step);
                single.fit(b);
                threads.fit(b);
                processes.fit(b);
                assertEquals(single.score(), inProcesses.score(), 1e-10, "score of step " + step);
            }
        }
        assertClose(single.params(), inProcesses.params(), 1e-10);
        assertClose(single.updaterState(), inProcesses.updaterState(), 1e-10);
        assertEquals(onThreads.params(), inProcesses.params(), "the same summation order as replicas on threads");
        assertEquals(4, inProcesses.getIterationCount());
    }

    @Test
    void floatAndPerReplicaStatisticsMatchThreadReplicas() {
        MultiLayerConfiguration conf = convNetwork(DataType.FLOAT, CNN2DFormat.NHWC, PopulationAveraging.CUMULATIVE);
        for (ReplicaStatistics statistics : ReplicaStatistics.values()) {
            MultiLayerNetwork onThreads = init(conf.clone());
            MultiLayerNetwork inProcesses = init(conf.clone());
            try (ParallelTrainer threads = ParallelTrainer.builder(onThreads).replicas(2).statistics(statistics)
                    .build();
                 ParallelTrainer processes = ParallelTrainer.builder(inProcesses).replicas(2).statistics(statistics)
                         .placement(ReplicaPlacement.PROCESSES).build()) {
                for (int step = 0; step < 3; step++) {
                    DataSet b = batch(DataType.FLOAT, CNN2DFormat.NHWC, 13, 300 + step);
                    threads.fit(b);
                    processes.fit(b);
                }
            }
            assertEquals(onThreads.params(), inProcesses.params(), statistics.toString());
        }
    }

    @Test
    void aComputationGraphTrainsWithProcessReplicas() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.DOUBLE).updater(new Nesterovs(0.05, 0.9)).weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nOut(5).activation(Activation.IDENTITY).build(), "in")
                .addLayer("bn", new BatchNorm.Builder().activation(Activation.RELU).build(), "dense")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "bn")
                .setOutputs("out")
                .setInputTypes(InputType.feedForward(4))
                .build();
        ComputationGraph single = new ComputationGraph(conf.clone());
        single.init();
        ComputationGraph parallel = new ComputationGraph(conf.clone());
        parallel.init();
        try (ParallelTrainer trainer = ParallelTrainer.builder(parallel).replicas(2)
                .placement(ReplicaPlacement.PROCESSES).build()) {
            for (int step = 0; step < 3; step++) {
                Nd4j.getRandom().setSeed(step + 1);
                INDArray x = Nd4j.randn(DataType.DOUBLE, 9, 4);
                INDArray y = Nd4j.zeros(DataType.DOUBLE, 9, 3);
                for (int i = 0; i < 9; i++) {
                    y.putScalar(i, (i + step) % 3, 1.0);
                }
                single.fit(new DataSet(x, y));
                trainer.fit(new DataSet(x, y));
            }
        }
        assertClose(single.params(), parallel.params(), 1e-10);
    }

    @Test
    void aFailedStepLeavesTheNetworkAsBeforeAndTheProcessInStepAndNoProcessOutlivesClose() {
        MultiLayerNetwork net = init(convNetwork(DataType.DOUBLE, CNN2DFormat.NCHW, PopulationAveraging.MOVING_AVERAGE));
        try (ParallelTrainer trainer = ParallelTrainer.builder(net).replicas(2)
                .placement(ReplicaPlacement.PROCESSES).build()) {
            assertEquals(1, replicaProcesses(), "one replica process while the trainer is open");
            ParallelTrainerTest.assertAFailedStepLeavesTheNetworkAsBeforeAndTheTrainerWorking(trainer, net);
        }
        assertEquals(0, replicaProcesses(), "no replica process after close");
    }

    @Test
    void aReplicaProcessThatDiesFailsTheStepNamingItAndLeavesTheNetworkAsBefore() throws InterruptedException {
        MultiLayerNetwork net = init(convNetwork(DataType.DOUBLE, CNN2DFormat.NCHW, PopulationAveraging.MOVING_AVERAGE));
        try (ParallelTrainer trainer = ParallelTrainer.builder(net).replicas(2)
                .placement(ReplicaPlacement.PROCESSES).build()) {
            trainer.fit(batch(DataType.DOUBLE, CNN2DFormat.NCHW, 8, 1));
            INDArray before = net.params().dup();
            int iteration = net.getIterationCount();
            ProcessHandle replica = ProcessHandle.current().children()
                    .filter(p -> p.info().commandLine().orElse("").contains(ReplicaProcessMain.class.getName()))
                    .findFirst().orElseThrow();
            replica.destroyForcibly();
            replica.onExit().join();
            DataSet good = batch(DataType.DOUBLE, CNN2DFormat.NCHW, 8, 2);
            ReplicaFailedException e = assertThrows(ReplicaFailedException.class, () -> trainer.fit(good));
            assertEquals(1, e.replica(), e.getMessage());
            assertTrue(e.getMessage().contains("process " + replica.pid()), e.getMessage());
            assertEquals(before, net.params());
            assertEquals(iteration, net.getIterationCount());
            IllegalStateException again = assertThrows(IllegalStateException.class, () -> {
                try {
                    trainer.fit(good);
                } catch (ReplicaFailedException failed) {
                    throw (IllegalStateException) failed.getCause();
                }
            });
            assertTrue(again.getMessage().contains("is gone"), again.getMessage());
        }
        assertEquals(0, replicaProcesses(), "no replica process after close");
    }

    @Test
    void aReplicaProcessThatCannotStartGetsAClearError() {
        MultiLayerNetwork net = init(convNetwork(DataType.DOUBLE, CNN2DFormat.NCHW, PopulationAveraging.MOVING_AVERAGE));
        String before = System.getProperty("bn4j.parallel.replicaJvmOptions");
        System.setProperty("bn4j.parallel.replicaJvmOptions", "-XX:+ThisOptionDoesNotExist");
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ParallelTrainer.builder(net).replicas(2).placement(ReplicaPlacement.PROCESSES).build());
            assertTrue(e.getMessage().contains("replica 1") && e.getMessage().contains("ThisOptionDoesNotExist"),
                    e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty("bn4j.parallel.replicaJvmOptions");
            } else {
                System.setProperty("bn4j.parallel.replicaJvmOptions", before);
            }
        }
        assertEquals(0, replicaProcesses());
    }

    private static long replicaProcesses() {
        return ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().orElse("").contains(ReplicaProcessMain.class.getName()))
                .filter(ProcessHandle::isAlive)
                .count();
    }
}
