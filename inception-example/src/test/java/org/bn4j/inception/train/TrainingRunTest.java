package org.bn4j.inception.train;

import org.bn4j.inception.UserError;
import org.bn4j.inception.data.DataOptions;
import org.bn4j.inception.data.ImageFolderData;
import org.bn4j.inception.data.TestImages;
import org.bn4j.inception.net.ConvolutionKind;
import org.bn4j.inception.net.Stem;
import org.bn4j.inception.recipe.Recipe;
import org.bn4j.inception.recipe.RecipeCatalog;
import org.bn4j.inception.recipe.RecipeOverrides;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End-to-end training on a generated folder tree (with a corrupt file and a text file in it), and resume. */
class TrainingRunTest {

    @TempDir
    static Path images;

    private static ImageFolderData data;

    private final Recipe recipe = RecipeOverrides.none().withLearningRate(0.05)
            .applyTo(RecipeCatalog.bundled().get("bn-x30"));
    private final NetworkSettings network = new NetworkSettings(16, 16, 1, 0.125, Stem.SMALL, ConvolutionKind.FAST);

    @BeforeAll
    static void writeImages() throws IOException {
        TestImages.writeTree(images.resolve("train"), 20, 16, false, 1);
        TestImages.writeTree(images.resolve("val"), 8, 16, false, 2);
        TestImages.writeBadFiles(images.resolve("train").resolve("vertical"));
        data = ImageFolderData.load(new DataOptions(images, 0.1, false, 0, 0, 3), "generated test images");
    }

    private TrainingSettings settings(Path out) {
        return settings(out, 3);
    }

    private TrainingSettings settings(Path out, int epochs) {
        return new TrainingSettings(epochs, 10, 4, out, 11, false);
    }

    @Test
    void tinyRunBeatsChanceAndLeavesModelManifestMetricsAndCheckpoint(@TempDir Path out) throws IOException {
        // 8 epochs: enough iterations for the moving-average population statistics to forget their initial values
        TrainingRun.Result result = TrainingRun.builder(recipe, network, data, settings(out, 8)).build().run(false);

        assertTrue(result.finalAccuracy() > 0.6, "accuracy " + result.finalAccuracy() + " does not beat chance 1/3: "
                + result.state().history());
        assertEquals(2, data.provenance().skippedFiles().size());
        List<String> csv = Files.readAllLines(out.resolve(MetricsCsv.FILE_NAME));
        assertEquals(MetricsCsv.HEADER, csv.get(0));
        assertEquals(9, csv.size());
        assertTrue(Files.isRegularFile(out.resolve(CheckpointStore.FILE_NAME)));
        SavedModel loaded = SavedModel.load(out.resolve(SavedModel.FILE_NAME));
        assertEquals(recipe, loaded.manifest().recipe());
        assertEquals(data.labels(), loaded.manifest().data().labels());
        assertEquals(result.model().network().params(), loaded.network().params());
        assertTrue(Files.readString(out.resolve(TrainingRun.MANIFEST_FILE)).contains("\"shuffle\" : \"EVERY_EPOCH\""));
    }

    @Test
    void runInterruptedMidEpochResumesFromTheLastCheckpointAndFinishes(@TempDir Path out) throws IOException {
        // 60 images / batch 10 = 6 iterations per epoch; checkpoints at iterations 4, 6 (epoch end), 8, 12, ...
        TrainingRun crashing = TrainingRun.builder(recipe, network, data, settings(out))
                .listener(new CrashAtIteration(10)).build();
        assertThrows(CrashAtIteration.SimulatedCrash.class, () -> crashing.run(false));
        CheckpointStore.Checkpoint checkpoint = new CheckpointStore(out).load().orElseThrow();
        assertEquals(1, checkpoint.state().epoch());
        assertEquals(2, checkpoint.state().batchesDone());
        assertEquals(8, checkpoint.network().getIterationCount());

        assertThrows(UserError.class,
                () -> TrainingRun.builder(recipe, network, data, settings(out)).build().run(false));
        TrainingRun.Result resumed = TrainingRun.builder(recipe, network, data, settings(out)).build().run(true);

        assertEquals(18, resumed.model().network().getIterationCount());
        assertEquals(List.of(1, 2, 3), resumed.state().history().stream().map(EpochMetrics::epoch).toList());
        assertEquals(4, Files.readAllLines(out.resolve(MetricsCsv.FILE_NAME)).size());
    }
}
