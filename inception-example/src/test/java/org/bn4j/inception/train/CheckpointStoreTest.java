package org.bn4j.inception.train;

import org.bn4j.inception.UserError;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 22, weak spot "disk full": a checkpoint that cannot be written is a short error saying that the last
 * checkpoint is intact, and that checkpoint still loads.
 */
class CheckpointStoreTest {

    @TempDir
    Path dir;

    @Test
    void aFailedWriteSaysTheLastCheckpointIsIntactAndLeavesItLoadable() throws IOException {
        ComputationGraph network = tinyNetwork();
        CheckpointStore store = new CheckpointStore(dir);
        network.getConfiguration().setIterationCount(4);
        store.save(network, TrainingState.fresh());
        // the rename of the old checkpoint fails (as a write on a full disk would): a folder is in its way
        Files.writeString(Files.createDirectories(dir.resolve(CheckpointStore.PREVIOUS_FILE_NAME)).resolve("x"), "x");
        network.getConfiguration().setIterationCount(8);
        UserError failed = assertThrows(UserError.class, () -> store.save(network, TrainingState.fresh()));
        assertTrue(failed.getMessage().contains("cannot write the checkpoint at iteration 8"), failed.getMessage());
        assertTrue(failed.getMessage().contains("at iteration 4, is intact"), failed.getMessage());
        assertEquals(4, new CheckpointStore(dir).load().orElseThrow().network().getIterationCount());
    }

    private static ComputationGraph tinyNetwork() {
        ComputationGraph network = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1).graphBuilder()
                .addInputs("in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "in")
                .setOutputs("out").build());
        network.init();
        return network;
    }
}
