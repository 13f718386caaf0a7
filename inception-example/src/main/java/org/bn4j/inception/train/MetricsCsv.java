package org.bn4j.inception.train;

import org.bn4j.inception.Csv;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Per-epoch metrics as CSV ({@code metrics.csv}), rewritten atomically after every epoch. */
public final class MetricsCsv {

    /** File name inside the output folder. */
    public static final String FILE_NAME = "metrics.csv";
    /** The header row. */
    public static final String HEADER =
            "epoch,iterations,train_loss,images_per_second,val_accuracy,learning_rate,train_seconds";

    private MetricsCsv() {
    }

    /** Writes the header and one row per epoch to {@code outDir/metrics.csv}. */
    public static void write(Path outDir, List<EpochMetrics> history) throws IOException {
        List<List<String>> rows = history.stream().map(MetricsCsv::row).toList();
        Csv.write(outDir.resolve(FILE_NAME), List.of(HEADER.split(",")), rows);
    }

    private static List<String> row(EpochMetrics m) {
        return List.of(Integer.toString(m.epoch()), Integer.toString(m.iterations()), format("%.6f", m.trainLoss()),
                format("%.2f", m.imagesPerSecond()), format("%.4f", m.valAccuracy()), format("%.6g", m.learningRate()),
                format("%.1f", m.trainSeconds()));
    }

    private static String format(String pattern, double value) {
        return String.format(Locale.ROOT, pattern, value);
    }
}
