import org.bn4j.PopulationAveraging;
import org.bn4j.inception.experiment.CurveCsv;
import org.bn4j.inception.experiment.Fig1Experiment;
import org.bn4j.inception.experiment.Fig3Experiment;
import org.bn4j.inception.monitor.PercentileChart;
import org.bn4j.inception.monitor.PercentileCsv;
import org.bn4j.inception.monitor.PercentileRecord;
import org.bn4j.inception.monitor.Percentiles;
import org.bn4j.inception.search.BatchNormSettings;
import org.bn4j.inception.search.CandidateRecord;
import org.bn4j.inception.search.CandidateStatus;
import org.bn4j.inception.search.ResultFiles;
import org.bn4j.inception.search.ScorePlot;
import org.bn4j.inception.search.SearchCandidate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Redraws the committed plots of docs/ from their committed CSV/JSON files with the current plotting code, so that a
 * change of the plots does not need the experiments to be re-run. Run from the repository root after
 * {@code mvn -B -ntp package -DskipTests}:
 * <pre>
 *   java -cp inception-example/target/inception-example.jar scripts/Replot.java docs
 * </pre>
 * Figure 1 (test set of 10,000 images, 10 classes), Figure 2 (validation set of 200 images, 10 classes) and the
 * search plot; folders that are missing are skipped.
 */
public class Replot {

    public static void main(String[] args) throws Exception {
        Path docs = Path.of(args.length > 0 ? args[0] : "docs");
        for (String name : new String[] {"fig1", "fig1-algorithm2"}) {
            Path fig1 = docs.resolve("results").resolve(name);
            if (Files.isRegularFile(fig1.resolve("fig1-accuracy.csv"))) {
                Fig1Experiment.renderAccuracy(CurveCsv.read(fig1.resolve("fig1-accuracy.csv")), 10_000, fig1);
                List<PercentileRecord> without = PercentileCsv.read(fig1.resolve("fig1-percentiles-without-bn.csv"));
                List<PercentileRecord> with = PercentileCsv.read(fig1.resolve("fig1-percentiles-with-bn.csv"));
                Fig1Experiment.renderFigure1bc(without, with, "sigmoid3:0", fig1);
                PercentileChart.render(without, Percentiles.PAPER, Fig1Experiment.WITHOUT_BN,
                        fig1.resolve("fig1-percentiles-without-bn.png"));
                PercentileChart.render(with, Percentiles.PAPER, Fig1Experiment.WITH_BN,
                        fig1.resolve("fig1-percentiles-with-bn.png"));
                System.out.println("redrew " + fig1);
            }
        }
        Path fig3 = docs.resolve("results").resolve("fig3");
        if (Files.isRegularFile(fig3.resolve("fig3-accuracy.csv"))) {
            Fig3Experiment.renderAccuracy(CurveCsv.read(fig3.resolve("fig3-accuracy.csv")), 10, 200, fig3);
            System.out.println("redrew " + fig3);
        }
        Path search = docs.resolve("search");
        if (Files.isRegularFile(search.resolve(ResultFiles.CSV))) {
            ScorePlot.write(search, readResults(search.resolve(ResultFiles.CSV)));
            System.out.println("redrew " + search);
        }
    }

    /** The records of a search's results.csv (candidates without a message, as in docs/search). */
    private static List<CandidateRecord> readResults(Path csv) throws Exception {
        List<CandidateRecord> records = new ArrayList<>();
        for (String line : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
            String[] c = line.split(",", -1);
            SearchCandidate candidate = new SearchCandidate(Double.parseDouble(c[4]), Double.parseDouble(c[5]),
                    Double.parseDouble(c[6]), Integer.parseInt(c[7]), Double.parseDouble(c[8]),
                    Boolean.parseBoolean(c[9]), new BatchNormSettings(Double.parseDouble(c[10]),
                    Double.parseDouble(c[11]), PopulationAveraging.valueOf(c[12]), Boolean.parseBoolean(c[13])));
            records.add(new CandidateRecord(Integer.parseInt(c[0]), CandidateStatus.valueOf(c[1]),
                    c[2].isEmpty() ? null : Double.valueOf(c[2]), Double.parseDouble(c[3]), candidate,
                    c[14].replace("\"", ""), null));
        }
        return records;
    }
}
