package org.bn4j.inception.search;

import com.fasterxml.jackson.databind.JsonNode;
import org.bn4j.BatchNorm;
import org.bn4j.statistics.PopulationEstimate;
import org.bn4j.statistics.PopulationStatistics;
import org.bn4j.inception.Json;
import org.bn4j.inception.cli.SearchCommand;
import org.bn4j.inception.data.DataOptions;
import org.bn4j.inception.data.ImageBatches;
import org.bn4j.inception.data.ImageFolderData;
import org.bn4j.inception.recipe.Recipe;
import org.bn4j.inception.train.SavedModel;
import org.bn4j.inception.train.TrainingRun;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End-to-end searches through the {@code search} command on a tiny generated image folder. */
class SearchCommandTest {

    @TempDir
    static Path shared;
    static Path data;

    @BeforeAll
    static void writeImages() throws Exception {
        data = TinyImageFolders.write(shared.resolve("images"), 12, 4);
    }

    /** Runs the command with the tiny network settings; returns what it printed. */
    private static String search(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("--data", data.toString(), "--out", out.toString(),
                "--image-size", "16", "--batch-sizes", "12", "--epochs", "1", "--no-interrupt-hook"));
        args.addAll(List.of(extra));
        if (!args.contains("--widths")) {
            args.addAll(List.of("--widths", "0.0625"));
        }
        PrintStream console = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new SearchCommand()).execute(args.toArray(new String[0]));
        } finally {
            System.setOut(console);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        console.print(printed);
        assertEquals(0, exit, printed);
        return printed;
    }

    private static List<String> csvRows(Path out) throws Exception {
        List<String> lines = Files.readAllLines(out.resolve(SearchResults.CSV));
        assertEquals(SearchResults.HEADER, lines.get(0));
        return lines.subList(1, lines.size());
    }

    @Test
    void randomSearchOfThreeCandidatesRecordsEveryCandidateAndKeepsTheBestModel(@TempDir Path out) throws Exception {
        String printed = search(out, "--candidates", "3", "--max-minutes", "5", "--lr", "0.005:0.05");

        assertEquals(3, printed.lines().filter(l -> l.matches("\\[\\d/3] candidate #\\d .*")).count(), printed);
        List<String> rows = csvRows(out);
        assertEquals(3, rows.size());
        JsonNode records = Json.MAPPER.readTree(out.resolve(SearchResults.JSON).toFile());
        assertEquals(3, records.size());
        double bestScore = -1;
        for (JsonNode record : records) {
            assertEquals("COMPLETED", record.get("status").asText(), record.toString());
            double score = record.get("score").asDouble();
            assertTrue(score >= 0 && score <= 1, "accuracy " + score);
            assertTrue(record.get("seconds").asDouble() > 0);
            double lr = record.get("candidate").get("learningRate").asDouble();
            assertTrue(lr >= 0.005 && lr <= 0.05, "lr " + lr);
            bestScore = Math.max(bestScore, score);
        }
        assertTrue(Files.size(out.resolve(SearchResults.PLOT_FILE)) > 0);

        Path bestDir = out.resolve(InceptionSearch.BEST_DIR);
        SavedModel best = SavedModel.load(bestDir.resolve(SavedModel.FILE_NAME));
        assertEquals(List.of(TinyImageFolders.CLASSES).stream().sorted().toList(), best.manifest().data().labels());
        Recipe recipe = Json.read(bestDir.resolve(SearchResults.RECIPE_FILE), Recipe.class);
        assertEquals(recipe, best.manifest().recipe());
        assertTrue(printed.contains(String.format(java.util.Locale.ROOT, "validation accuracy %.4f", bestScore)),
                printed);
        assertTrue(printed.contains("best recipe bn-x5+overrides"), printed);
        try (Stream<Path> candidates = Files.list(out.resolve(InceptionSearch.CANDIDATES_DIR))) {
            assertEquals(3, candidates.count());
        }
    }

    @Test
    void candidatesAreScoredWithAlgorithm2StatisticsLikeTrain(@TempDir Path out) throws Exception {
        // 36 training images in batches of 12: Algorithm 2 (default 20 batches) averages the 3 batch means of the
        // last epoch. The first BN layer sees the stem convolution of the images, whatever the batches: its E[x] is
        // the mean over all training images. The moving average after 3 iterations is far from it.
        search(out, "--candidates", "1", "--max-minutes", "5", "--lr", "0.01", "--batch-norm", "on");
        SavedModel best = SavedModel.load(out.resolve(InceptionSearch.BEST_DIR).resolve(SavedModel.FILE_NAME));
        ComputationGraph network = best.network();
        String firstBn = Arrays.stream(network.getConfiguration().getTopologicalOrderStr().toArray(new String[0]))
                .filter(name -> network.getConfiguration().getVertices().get(name)
                        instanceof org.deeplearning4j.nn.conf.graph.LayerVertex vertex
                        && vertex.getLayerConf().getLayer() instanceof BatchNorm)
                .findFirst().orElseThrow();
        INDArray saved = network.getLayer(firstBn).getParam(BatchNorm.MEAN).dup();

        ImageFolderData images = ImageFolderData.load(new DataOptions(data, 0.1, false, 0, 0, 42), "test");
        DataSetIterator all = new ImageBatches(best.manifest().network().imageShape(), images.labels())
                .iterator(images.train(), 12, null);
        PopulationEstimate algorithm2 = PopulationStatistics.estimate(network, all, 100);
        assertEquals(3, algorithm2.batches());
        INDArray expected = algorithm2.mean(firstBn);
        double scale = expected.amaxNumber().doubleValue();
        double error = saved.castTo(expected.dataType()).sub(expected).amaxNumber().doubleValue();
        assertTrue(error <= 1e-5 * Math.max(1, scale), "first BN layer E[x] " + saved + ", Algorithm 2 " + expected);

        JsonNode manifest = Json.MAPPER.readTree(out.resolve("search.json").toFile());
        assertEquals(TrainingRun.describeFinalStatistics(20), manifest.get("finalStatistics").asText());
    }

    @Test
    void divergingAndThrowingCandidatesAreRecordedAsFailedAndTheSearchGoesOn(@TempDir Path out) throws Exception {
        // grid, in order: lr 1e5 width 0.0625 (diverges), lr 0.01 width 0.0625 (trains),
        // lr 1e5 width 5 and lr 0.01 width 5 (the builder rejects width > 4: the candidate throws)
        String printed = search(out, "--method", "GRID", "--candidates", "10", "--max-minutes", "5",
                "--lr", "100000,0.01", "--widths", "0.0625,5", "--decay-acceleration", "6", "--l2", "0.0001",
                "--batch-norm", "off");

        List<String> rows = csvRows(out);
        assertEquals(4, rows.size(), String.join("\n", rows));
        assertTrue(rows.get(0).startsWith("0,DIVERGED,,"), rows.get(0));
        assertTrue(rows.get(0).contains("training loss became"), rows.get(0));
        assertTrue(rows.get(1).startsWith("1,COMPLETED,"), rows.get(1));
        assertTrue(rows.get(2).startsWith("2,FAILED,,") && rows.get(2).contains("width multiplier"), rows.get(2));
        assertTrue(rows.get(3).startsWith("3,FAILED,,"), rows.get(3));
        assertTrue(printed.contains("best: candidate #1"), printed);
        assertTrue(Files.isRegularFile(out.resolve(InceptionSearch.BEST_DIR).resolve(SavedModel.FILE_NAME)));
    }
}
