package org.bn4j.inception.experiment;

import org.bn4j.inception.Json;
import org.bn4j.inception.UserError;
import org.bn4j.inception.data.DataOptions;
import org.bn4j.inception.data.ImageFolderData;
import org.bn4j.inception.data.TestImages;
import org.bn4j.inception.net.ConvolutionKind;
import org.bn4j.inception.train.CheckpointStore;
import org.bn4j.inception.train.CrashAtIteration;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A toy Experiment 2 killed inside its second recipe and resumed ends as an uninterrupted one. */
class Fig3ResumeTest {

    @TempDir
    static Path images;

    private static ImageFolderData data;

    /** inception (to its cap of 8 steps: patience 10) then bn-x5; a validation and checkpoint every 2 steps. */
    private static final Fig3Settings TOY = new Fig3Settings(List.of("inception", "bn-x5"), 1, 12, 16, 0.0625, 0, 0,
            7, ConvolutionKind.FAST, 2, 10, 8, 4);

    @BeforeAll
    static void writeImages() throws IOException {
        TestImages.writeTree(images.resolve("train"), 12, 16, false, 1);
        TestImages.writeTree(images.resolve("val"), 6, 16, false, 2);
        data = ImageFolderData.load(new DataOptions(images, 0.1, false, 0, 0, 3), "generated test images");
    }

    private static Fig3Result run(Path out, boolean resume, Function<String, List<TrainingListener>> listeners)
            throws IOException {
        return Fig3Experiment.run(TOY, data, out, "test", new Fig3Experiment.Options(1, resume, null, false,
                listeners, null));
    }

    @Test
    void killedAfterTheFirstRecipesCheckpointAndResumedItEqualsAnUninterruptedRun(@TempDir Path dir)
            throws IOException {
        Fig3Result uninterrupted = run(dir.resolve("whole"), false, id -> List.of());

        Path out = dir.resolve("killed");
        assertThrows(CrashAtIteration.SimulatedCrash.class, () -> run(out, false,
                id -> id.equals("bn-x5") ? List.of(new CrashAtIteration(5)) : List.of()));
        assertTrue(Files.isRegularFile(out.resolve("runs/inception").resolve(Fig3Run.FILE)), "inception finished");
        assertFalse(Files.exists(out.resolve("runs/bn-x5").resolve(Fig3Run.FILE)), "bn-x5 did not");
        assertTrue(Files.isRegularFile(out.resolve("runs/bn-x5").resolve(CheckpointStore.FILE_NAME)));

        Fig3Result resumed = run(out, true, id -> id.equals("inception")
                ? List.of(new FailOnAnyIteration()) : List.of());

        assertEquals(uninterrupted.curves(), resumed.curves());
        assertEquals(steps(uninterrupted), steps(resumed));
        assertEquals(uninterrupted.runs().get(1).stopReason(), resumed.runs().get(1).stopReason());
        assertEquals(8, resumed.runs().get(0).steps(), "the baseline ran to its cap");
        assertEquals(List.of(2L, 3L, 4L, 6L, 8L), resumed.runs().get(0).points().stream().map(Curve.Point::step).toList(),
                "a validation every 2 steps and after each epoch of 3 steps");
        assertEquals(Curve.readCsv(dir.resolve("whole/fig3-accuracy.csv")),
                Curve.readCsv(out.resolve("fig3-accuracy.csv")));
        assertTrue(Files.readString(out.resolve(Fig3Report.FILE)).contains("| bn-x5 | bn-x5 | 7 |"));
    }

    @Test
    void aResumeWithOtherSettingsIsRefusedAndAFreshRunIntoAUsedFolderToo(@TempDir Path dir) throws IOException {
        Fig3Experiment.claimFolder(TOY, dir, false);
        Fig3Settings other = new Fig3Settings(TOY.recipes(), 2, 12, 16, 0.0625, 0, 0, 7, ConvolutionKind.FAST, 2, 10,
                8, 4);
        UserError e = assertThrows(UserError.class, () -> Fig3Experiment.claimFolder(other, dir, true));
        assertTrue(e.getMessage().contains("seeds 2 (the saved experiment has 1)"), e.getMessage());
        assertTrue(assertThrows(UserError.class, () -> Fig3Experiment.claimFolder(TOY, dir, false)).getMessage()
                .contains("pass --resume"));
        Fig3Experiment.claimFolder(TOY, dir, true);
        assertEquals(TOY, Json.read(dir.resolve(Fig3Experiment.SETTINGS_FILE), Fig3Settings.class));
    }

    @Test
    void theThroughputForThePlanIsMeasuredOnTheExperimentsNetwork() {
        Fig3Throughput measured = Fig3Throughput.measure(TOY, data, 2, 1);
        assertEquals(TOY.recipes(), List.copyOf(measured.byRecipe().keySet()), "every recipe timed");
        for (Fig3Throughput.Rate rate : measured.byRecipe().values()) {
            assertTrue(rate.trainImagesPerSecond() > 0 && rate.validationImagesPerSecond() > 0, measured.toString());
        }
        Fig3Plan plan = Fig3Plan.measured(TOY, data.train().size(), data.val().size(), measured);
        for (String recipe : TOY.recipes()) {
            assertTrue(plan.render().contains("throughput (measured, " + recipe + ")"), plan.render());
        }
    }

    private static List<Long> steps(Fig3Result result) {
        return result.runs().stream().map(Fig3Run::steps).toList();
    }

    /** Proves a finished recipe is not trained again. */
    private static final class FailOnAnyIteration extends BaseTrainingListener {
        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            throw new AssertionError("a finished recipe was trained again");
        }
    }
}
