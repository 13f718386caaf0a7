package org.bn4j.inception.monitor;

import org.bn4j.inception.Csv;
import org.bn4j.inception.Plot;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The percentiles of one monitored layer input after {@code step} parameter updates. Lists of records are saved as
 * CSV (header {@code step,target,p15,p50,p85}, one column per percentile, {@link #csvHeader}, {@link #csvRow}) and
 * drawn as in Ioffe &amp; Szegedy 2015, Figure 1(b,c) ({@link #plot}).
 *
 * @param step   number of training iterations completed when the input was read
 * @param target label of the {@link MonitorTarget}
 * @param values one value per percentile of the monitor, in its order
 */
public record PercentileRecord(long step, String target, double[] values) {

    private static final Color BAND = new Color(70, 130, 180, 60);
    private static final Color LINE = new Color(30, 80, 140);

    /** The CSV header for these percentiles. */
    public static List<String> csvHeader(double[] percentiles) {
        List<String> header = new ArrayList<>(List.of("step", "target"));
        for (double p : percentiles) {
            header.add(Percentiles.label(p));
        }
        return header;
    }

    /** This record as a CSV row under {@link #csvHeader}. */
    public List<String> csvRow() {
        List<String> row = new ArrayList<>(List.of(Long.toString(step), target));
        for (double value : values) {
            row.add(String.format(Locale.ROOT, "%.6g", value));
        }
        return row;
    }

    /** Reads back the records of a CSV file written with {@link #csvHeader} and {@link #csvRow}. */
    public static List<PercentileRecord> readCsv(Path file) throws IOException {
        List<List<String>> rows = Csv.read(file);
        if (!rows.get(0).subList(0, Math.min(2, rows.get(0).size())).equals(List.of("step", "target"))) {
            throw new IOException(file + " is not a percentile CSV: header " + rows.get(0));
        }
        List<PercentileRecord> records = new ArrayList<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            double[] values = row.subList(2, row.size()).stream().mapToDouble(Double::parseDouble).toArray();
            records.add(new PercentileRecord(Long.parseLong(row.get(0)), row.get(1), values));
        }
        return records;
    }

    /**
     * Writes {@code file} (PNG) with one panel per target of {@code records}, two per row, titled {@code title —
     * target}: the percentiles over training steps, the band between the lowest and highest shaded, the middle one
     * bold. The y axis is fixed to {@code [yMin, yMax]} when both are finite, automatic otherwise.
     */
    public static void plot(List<PercentileRecord> records, double[] percentiles, String title, Path file,
                            double yMin, double yMax) throws IOException {
        Map<String, List<PercentileRecord>> byTarget = new LinkedHashMap<>();
        records.forEach(r -> byTarget.computeIfAbsent(r.target(), t -> new ArrayList<>()).add(r));
        if (byTarget.isEmpty()) {
            throw new IllegalArgumentException("no record to plot for " + file);
        }
        List<XYChart> panels = new ArrayList<>();
        byTarget.forEach((target, list) -> panels.add(panel(title, target, list, percentiles, yMin, yMax)));
        Plot.save(panels, 2, file);
    }

    /** As {@link #plot(List, double[], String, Path, double, double)} with an automatic y axis. */
    public static void plot(List<PercentileRecord> records, double[] percentiles, String title, Path file)
            throws IOException {
        plot(records, percentiles, title, file, Double.NaN, Double.NaN);
    }

    private static XYChart panel(String title, String target, List<PercentileRecord> records, double[] percentiles,
                                 double yMin, double yMax) {
        XYChart chart = Plot.chart(title.isEmpty() ? describe(target) : title + " — " + describe(target),
                "training step", "layer input", 640, 420);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setMarkerSize(0);
        if (Double.isFinite(yMin) && Double.isFinite(yMax)) {
            chart.getStyler().setYAxisMin(yMin);
            chart.getStyler().setYAxisMax(yMax);
        }
        int n = records.size();
        double[] steps = new double[n];
        double[][] curves = new double[percentiles.length][n];
        for (int i = 0; i < n; i++) {
            steps[i] = records.get(i).step();
            for (int p = 0; p < percentiles.length; p++) {
                curves[p][i] = records.get(i).values()[p];
            }
        }
        if (percentiles.length >= 2 && n >= 2) {
            addBand(chart, steps, curves[0], curves[percentiles.length - 1],
                    Percentiles.label(percentiles[0]) + "–" + Percentiles.label(percentiles[percentiles.length - 1]));
        }
        int middle = percentiles.length / 2;
        for (int p = 0; p < percentiles.length; p++) {
            XYSeries series = Plot.line(chart, Percentiles.label(percentiles[p]), steps, curves[p]);
            series.setLineColor(LINE);
            // the median solid and thick, lower percentiles dashed, upper ones dotted: told apart in grey print
            series.setLineStyle(p == middle ? new BasicStroke(2.5f)
                    : p < middle ? SeriesLines.DASH_DASH : SeriesLines.DOT_DOT);
        }
        return chart;
    }

    /** "input of LAYER, unit U" for {@code LAYER:U}, "input of LAYER (all units)" for a whole layer. */
    static String describe(String target) {
        int colon = target.lastIndexOf(':');
        return colon < 0 ? "input of " + target + " (all units)"
                : "input of " + target.substring(0, colon) + ", unit " + target.substring(colon + 1);
    }

    private static void addBand(XYChart chart, double[] steps, double[] low, double[] high, String name) {
        int n = steps.length;
        double[] x = new double[2 * n];
        double[] y = new double[2 * n];
        for (int i = 0; i < n; i++) { // polygon: along the upper curve, back along the lower one
            x[i] = steps[i];
            y[i] = high[i];
            x[2 * n - 1 - i] = steps[i];
            y[2 * n - 1 - i] = low[i];
        }
        XYSeries band = chart.addSeries(name, x, y);
        band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        band.setMarker(SeriesMarkers.NONE);
        band.setFillColor(BAND);
        band.setLineColor(BAND);
        band.setShowInLegend(false);
    }
}
