package org.bn4j.inception.cli;

import org.bn4j.inception.experiment.Curve;
import org.bn4j.inception.experiment.Fig3Report;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Fig3CommandTest {

    @TempDir
    Path dir;

    /** Two recipes, 2 steps each on 64 bundled-sample images (about a minute on a loaded 2-core machine). */
    @Test
    @Tag("slow")
    void quickRunTrainsEachRecipeAndWritesCurvesPlotAndTable() throws Exception {
        Path out = dir.resolve("fig3");
        int status = new CommandLine(new ExperimentCommand()).execute("fig3", "--quick", "--out", out.toString(),
                "--recipes", "inception,bn-x30", "--max-steps", "2", "--train-limit", "64",
                "--data-cache", dir.resolve("cache").toString(),
                "--fashion-mnist-dir", dir.resolve("no-debian-copy").toString());
        assertEquals(0, status);

        List<Curve> curves = Curve.readCsv(out.resolve("fig3-accuracy.csv"));
        assertEquals(List.of("inception", "bn-x30"), curves.stream().map(Curve::name).toList());
        for (Curve curve : curves) {
            assertEquals(List.of(2L), curve.points().stream().map(Curve.Point::step).toList(),
                    "one validation after 2 steps of 32 images (the cap)");
            assertTrue(curve.last() >= 0 && curve.last() <= 1);
            assertTrue(Files.exists(out.resolve("runs").resolve(curve.name()).resolve("run.json")),
                    "each recipe is a normal training run");
        }
        assertNotNull(ImageIO.read(out.resolve("fig2-accuracy.png").toFile()));
        String report = Files.readString(out.resolve(Fig3Report.FILE));
        assertTrue(report.contains("| inception | inception | 42 |"), report);
        assertTrue(report.contains("| bn-x30 | bn-x30 | 42 |"), report);
        assertTrue(report.contains("`bn-x30` reaches the baseline's best accuracy"), report);

        String[] again = {"fig3", "--quick", "--out", out.toString(), "--recipes", "inception,bn-x30",
            "--max-steps", "2", "--train-limit", "64", "--data-cache", dir.resolve("cache").toString(),
            "--fashion-mnist-dir", dir.resolve("no-debian-copy").toString(), "--resume"};
        assertEquals(0, new CommandLine(new ExperimentCommand()).execute(again), "a finished experiment resumes "
                + "to its report without training");
        assertEquals(curves, Curve.readCsv(out.resolve("fig3-accuracy.csv")));
        again[7] = "4";
        assertTrue(new CommandLine(new ExperimentCommand()).execute(again) != 0, "other settings are refused");
        assertEquals(curves, Curve.readCsv(out.resolve("fig3-accuracy.csv")));
    }

    @Test
    void planPrintsTheArithmeticAndTrainsNothing() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.out;
        System.setOut(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        int status;
        try {
            status = new CommandLine(new ExperimentCommand()).execute("fig3", "--plan", "--out",
                    dir.resolve("plan").toString());
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, status);
        String text = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(text.contains("steps per epoch: ceil(6400 / 64) = 100; a validation every 25 steps = 4.00 per "
                + "epoch; plateau: 20 validations without a new best = 5.00 epochs"), text);
        assertTrue(text.contains("worst case (every run to its cap): 8387 s = 2.33 h (budget 2.5 h: fits)"), text);
        assertTrue(!Files.exists(dir.resolve("plan")), "nothing trained, nothing written");
    }
}
