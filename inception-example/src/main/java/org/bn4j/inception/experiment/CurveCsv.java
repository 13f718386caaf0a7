package org.bn4j.inception.experiment;

import org.bn4j.inception.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Learning curves as CSV in long form: {@code step,<series column>,<value column>}, one row per point. */
public final class CurveCsv {

    private CurveCsv() {
    }

    /** Writes the curves (replacing the file atomically) with a header naming the series and value columns. */
    public static void write(Path file, List<Curve> curves, String seriesColumn, String valueColumn)
            throws IOException {
        StringBuilder text = new StringBuilder("step," + seriesColumn + "," + valueColumn + "\n");
        for (Curve curve : curves) {
            for (Curve.Point p : curve.points()) {
                text.append(p.step()).append(',').append(curve.name()).append(',')
                        .append(String.format(Locale.ROOT, "%.6f", p.value())).append('\n');
            }
        }
        AtomicFiles.write(file, out -> out.write(text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** Reads curves written by {@link #write}, in order of first appearance. */
    public static List<Curve> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, Curve> curves = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            if (cells.length != 3) {
                throw new IOException(file + ": expected 3 cells, got \"" + line + "\"");
            }
            curves.merge(cells[1], new Curve(cells[1], List.of(new Curve.Point(Long.parseLong(cells[0]),
                    Double.parseDouble(cells[2])))), (a, b) -> a.plus(b.points().get(0).step(), b.last()));
        }
        return new ArrayList<>(curves.values());
    }
}
