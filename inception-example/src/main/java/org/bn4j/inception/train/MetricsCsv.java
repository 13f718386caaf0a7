package org.bn4j.inception.train;

import org.bn4j.inception.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (EpochMetrics m : history) {
            csv.append(String.format(Locale.ROOT, "%d,%d,%.6f,%.2f,%.4f,%.6g,%.1f%n", m.epoch(), m.iterations(),
                    m.trainLoss(), m.imagesPerSecond(), m.valAccuracy(), m.learningRate(), m.trainSeconds()));
        }
        AtomicFiles.write(outDir.resolve(FILE_NAME), out -> out.write(csv.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
