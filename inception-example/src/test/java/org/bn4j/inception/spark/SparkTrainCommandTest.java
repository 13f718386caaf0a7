package org.bn4j.inception.spark;

import org.bn4j.statistics.PopulationStatistics;
import org.bn4j.inception.InceptionApp;
import org.bn4j.inception.data.DataOptions;
import org.bn4j.inception.data.ImageBatches;
import org.bn4j.inception.data.ImageFolderData;
import org.bn4j.inception.data.TestImages;
import org.bn4j.inception.train.CheckpointStore;
import org.bn4j.inception.train.EpochOrder;
import org.bn4j.inception.train.MetricsCsv;
import org.bn4j.inception.train.SavedModel;
import org.bn4j.inception.train.TrainingRun;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code train --spark-master local[2]}: the single-machine outputs, and exact Algorithm 2 statistics. */
class SparkTrainCommandTest {

    @TempDir
    Path dir;

    private int run(StringWriter err, String... args) {
        return InceptionApp.commandLine().setErr(new PrintWriter(err, true)).execute(args);
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void trainsThroughSparkAndLeavesTheSingleMachineOutputsWithExactPopulationStatistics() throws IOException {
        Path data = dir.resolve("data");
        TestImages.writeTree(data, 8, 16, false, 1);
        Path out = dir.resolve("out");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "train", "--spark-master", "local[2]", "--data", data.toString(),
                "--val-fraction", "0.25", "--epochs", "2", "--batch-size", "6", "--image-size", "16", "--width",
                "0.125", "--out", out.toString(), "--no-progress", "--lr", "0.01", "--population-batches", "3",
                "--seed", "7"), err.toString());

        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("dag-scheduler")),
                "the Spark context is stopped");
        for (String file : List.of(SavedModel.FILE_NAME, TrainingRun.MANIFEST_FILE, MetricsCsv.FILE_NAME,
                CheckpointStore.FILE_NAME)) {
            assertTrue(Files.isRegularFile(out.resolve(file)), file);
        }
        assertEquals(3, Files.readAllLines(out.resolve(MetricsCsv.FILE_NAME)).size(), "header + 2 epochs");
        SavedModel model = SavedModel.load(out.resolve(SavedModel.FILE_NAME));
        ComputationGraph trained = model.network();
        assertEquals(2 * model.manifest().iterationsPerEpoch(), trained.getIterationCount(),
                "an epoch counts its mini-batches, as on one machine");

        // The same Algorithm 2 on one machine over the same 3 mini-batches of the last epoch's order
        ImageFolderData images = ImageFolderData.load(new DataOptions(data, 0.25, false, 0, 0, 7), "test");
        ComputationGraph reference = trained.clone();
        List<org.bn4j.inception.data.LabeledImage> order = EpochOrder.of(images.train(),
                model.manifest().recipe().shuffle(), 7, 1);
        PopulationStatistics.estimate(reference, new ImageBatches(model.manifest().network().imageShape(),
                images.labels()).iterator(order, 6, null), 3);
        assertArrayEquals(reference.params().toDoubleVector(), trained.params().toDoubleVector(), 1e-6);
    }

    @Test
    void anUnknownTrainingMasterIsAUserError() throws IOException {
        Path data = dir.resolve("data");
        TestImages.writeTree(data, 2, 16, false, 1);
        StringWriter err = new StringWriter();
        assertEquals(InceptionApp.USER_ERROR, run(err, "train", "--spark-master", "local[2]", "--training-master",
                "gossip", "--data", data.toString(), "--out", dir.resolve("out").toString(), "--no-progress"));
        assertTrue(err.toString().contains("--training-master must be averaging or sharing"), err.toString());
    }
}
