import org.bn4j.PopulationAveraging;
import org.bn4j.inception.Csv;
import org.bn4j.inception.experiment.Curve;
import org.bn4j.inception.experiment.Fig1Experiment;
import org.bn4j.inception.experiment.Fig3Experiment;
import org.bn4j.inception.monitor.PercentileRecord;
import org.bn4j.inception.monitor.Percentiles;
import org.bn4j.inception.search.CandidateRecord;
import org.bn4j.inception.search.SearchCandidate;
import org.bn4j.inception.search.SearchResults;

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
                Fig1Experiment.renderAccuracy(Curve.readCsv(fig1.resolve("fig1-accuracy.csv")), 10_000, fig1);
                List<PercentileRecord> without = PercentileRecord.readCsv(
                        fig1.resolve("fig1-percentiles-without-bn.csv"));
                List<PercentileRecord> with = PercentileRecord.readCsv(fig1.resolve("fig1-percentiles-with-bn.csv"));
                Fig1Experiment.renderFigure1bc(without, with, "sigmoid3:0", fig1);
                PercentileRecord.plot(without, Percentiles.PAPER, Fig1Experiment.WITHOUT_BN,
                        fig1.resolve("fig1-percentiles-without-bn.png"));
                PercentileRecord.plot(with, Percentiles.PAPER, Fig1Experiment.WITH_BN,
                        fig1.resolve("fig1-percentiles-with-bn.png"));
                System.out.println("redrew " + fig1);
            }
        }
        Path fig3 = docs.resolve("results").resolve("fig3");
        if (Files.isRegularFile(fig3.resolve("fig3-accuracy.csv"))) {
            Fig3Experiment.renderAccuracy(Curve.readCsv(fig3.resolve("fig3-accuracy.csv")), 10, 200, fig3);
            System.out.println("redrew " + fig3);
        }
        Path search = docs.resolve("search");
        if (Files.isRegularFile(search.resolve(SearchResults.CSV))) {
            SearchResults.plot(search, readResults(search.resolve(SearchResults.CSV)));
            System.out.println("redrew " + search);
        }
    }

    /** The records of a search's results.csv (the message is not needed for the plot). */
    private static List<CandidateRecord> readResults(Path csv) throws Exception {
        List<CandidateRecord> records = new ArrayList<>();
        List<List<String>> rows = Csv.read(csv);
        for (List<String> c : rows.subList(1, rows.size())) {
            SearchCandidate candidate = new SearchCandidate(Double.parseDouble(c.get(4)),
                    Double.parseDouble(c.get(5)), Double.parseDouble(c.get(6)), Integer.parseInt(c.get(7)),
                    Double.parseDouble(c.get(8)), Boolean.parseBoolean(c.get(9)),
                    new SearchCandidate.BatchNormSettings(Double.parseDouble(c.get(10)), Double.parseDouble(c.get(11)),
                            PopulationAveraging.valueOf(c.get(12)), Boolean.parseBoolean(c.get(13))));
            records.add(new CandidateRecord(Integer.parseInt(c.get(0)), CandidateRecord.Status.valueOf(c.get(1)),
                    c.get(2).isEmpty() ? null : Double.valueOf(c.get(2)), Double.parseDouble(c.get(3)), candidate,
                    c.get(14), null));
        }
        return records;
    }
}
