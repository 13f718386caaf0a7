package org.bn4j.inception.monitor;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The CSV file of a {@link DistributionMonitor}: header {@code step,target,p15,p50,p85} (one column per
 * percentile), then one row per record, flushed as it is written so the file can be read during training. Target
 * labels never contain commas (they come from {@link MonitorTarget#parseList}).
 */
public final class PercentileCsv implements Closeable {

    private final BufferedWriter writer;

    /** Creates (or truncates) {@code file} and writes the header. */
    public PercentileCsv(Path file, double[] percentiles) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        writer.write(header(percentiles));
        writer.newLine();
        writer.flush();
    }

    /** Appends one row and flushes. */
    public void append(PercentileRecord record) throws IOException {
        StringBuilder row = new StringBuilder().append(record.step()).append(',').append(record.target());
        for (double value : record.values()) {
            row.append(',').append(String.format(Locale.ROOT, "%.6g", value));
        }
        writer.write(row.toString());
        writer.newLine();
        writer.flush();
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }

    /** The header line for these percentiles. */
    public static String header(double[] percentiles) {
        StringBuilder header = new StringBuilder("step,target");
        for (double p : percentiles) {
            header.append(',').append(Percentiles.label(p));
        }
        return header.toString();
    }

    /** Reads back the records of a file written by this class. */
    public static List<PercentileRecord> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).startsWith("step,target")) {
            throw new IOException(file + " is not a percentile CSV: header " + (lines.isEmpty() ? "missing"
                    : "\"" + lines.get(0) + "\""));
        }
        int columns = lines.get(0).split(",").length;
        List<PercentileRecord> records = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            if (cells.length != columns) {
                throw new IOException(file + ": expected " + columns + " cells, got \"" + line + "\"");
            }
            double[] values = Arrays.stream(cells, 2, cells.length).mapToDouble(Double::parseDouble).toArray();
            records.add(new PercentileRecord(Long.parseLong(cells[0]), cells[1], values));
        }
        return records;
    }
}
