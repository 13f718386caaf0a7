package org.bn4j.inception.search;

import org.bn4j.inception.AtomicFiles;
import org.bn4j.inception.Json;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes a search's results as {@value #CSV} and {@value #JSON} in the output folder, atomically, so that a reader or
 * an interrupted search always finds a complete file with every finished candidate.
 */
public final class ResultFiles {

    /** One row per candidate. */
    public static final String CSV = "results.csv";
    /** The same records as a JSON array. */
    public static final String JSON = "results.json";
    /** CSV header; the columns of {@link #row}. */
    public static final String HEADER = "index,status,score,seconds,learning_rate,decay_acceleration,l2,batch_size,"
            + "width_multiplier,batch_norm,bn_eps,bn_decay,bn_averaging,bn_learn_gamma_beta,recipe,message";

    private ResultFiles() {
    }

    /** Replaces both files in {@code dir} with {@code records}. */
    public static void write(Path dir, List<CandidateRecord> records) throws IOException {
        AtomicFiles.write(dir.resolve(CSV), out -> {
            PrintWriter writer = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            writer.println(HEADER);
            records.forEach(r -> writer.println(row(r)));
            writer.flush();
        });
        Json.write(dir.resolve(JSON), records);
    }

    /** The CSV row of one record; empty cells for what it lacks. */
    static String row(CandidateRecord r) {
        SearchCandidate c = r.candidate();
        String config = c == null ? ",,,,,,,,," : String.format(Locale.ROOT, "%s,%s,%s,%d,%s,%s,%s,%s,%s,%s",
                c.learningRate(), c.decayAcceleration(), c.l2(), c.batchSize(), c.widthMultiplier(), c.batchNorm(),
                c.bn().eps(), c.bn().decay(), c.bn().averaging(), c.bn().learnGammaBeta());
        return String.format(Locale.ROOT, "%d,%s,%s,%.3f,%s,%s,%s", r.index(), r.status(),
                r.score() == null ? "" : r.score().toString(), r.seconds(), config, quote(r.recipe()),
                quote(r.message()));
    }

    private static String quote(String text) {
        if (text == null) {
            return "";
        }
        String oneLine = text.replace('\n', ' ').replace('\r', ' ');
        return "\"" + oneLine.replace("\"", "\"\"") + "\"";
    }
}
