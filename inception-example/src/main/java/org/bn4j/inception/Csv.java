package org.bn4j.inception;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The application's CSV files (metrics, curves, percentiles, search results): a header row, then rows of cells
 * separated by commas, {@code \n} line ends, UTF-8. A cell is quoted only when it holds a comma, a quote or a line
 * break (RFC 4180), and {@link #read} undoes exactly that. Whole files are written atomically ({@link
 * AtomicFiles}); an {@link Appender} writes row by row for files read while they grow.
 */
public final class Csv {

    private Csv() {
    }

    /** Replaces {@code file} atomically with {@code header} and {@code rows}. */
    public static void write(Path file, List<String> header, List<List<String>> rows) throws IOException {
        StringBuilder text = new StringBuilder(line(header));
        rows.forEach(row -> text.append(line(row)));
        AtomicFiles.writeString(file, text.toString());
    }

    /**
     * The rows of {@code file}, header first; IOException naming the file when it is empty, when a row has another
     * number of cells than the header or when a quoted cell is not closed.
     */
    public static List<List<String>> read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',' || c == '\n') {
                row.add(cell.toString());
                cell.setLength(0);
                if (c == '\n') {
                    rows.add(row);
                    row = new ArrayList<>();
                }
            } else if (c != '\r') {
                cell.append(c);
            }
        }
        if (quoted) {
            throw new IOException(file + ": a quoted cell is not closed");
        }
        if (!row.isEmpty() || cell.length() > 0) {
            row.add(cell.toString());
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new IOException(file + " is empty: no CSV header");
        }
        for (List<String> r : rows) {
            if (r.size() != rows.get(0).size()) {
                throw new IOException(file + ": expected " + rows.get(0).size() + " cells, got " + r);
            }
        }
        return rows;
    }

    /** One row as text, with its line end. */
    static String line(List<String> cells) {
        StringBuilder line = new StringBuilder();
        for (String cell : cells) {
            if (line.length() > 0) {
                line.append(',');
            }
            boolean quote = cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0
                    || cell.indexOf('\r') >= 0;
            line.append(quote ? '"' + cell.replace("\"", "\"\"") + '"' : cell);
        }
        return line.append('\n').toString();
    }

    /** A CSV file written row by row, each row flushed at once so the file can be read while it grows. */
    public static final class Appender implements Closeable {

        private final BufferedWriter writer;

        /** Creates (or truncates) {@code file}, with its folder, and writes {@code header}. */
        public Appender(Path file, List<String> header) throws IOException {
            Files.createDirectories(file.toAbsolutePath().getParent());
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            append(header);
        }

        /** Appends one row and flushes. */
        public void append(List<String> cells) throws IOException {
            writer.write(line(cells));
            writer.flush();
        }

        @Override
        public void close() throws IOException {
            writer.close();
        }
    }
}
