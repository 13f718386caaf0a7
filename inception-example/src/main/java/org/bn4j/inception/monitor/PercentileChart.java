package org.bn4j.inception.monitor;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import org.bn4j.inception.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders percentile records as in Ioffe &amp; Szegedy 2015, Figure 1(b,c): for each monitored target a panel with
 * the percentiles over training steps, the band between the lowest and highest percentile shaded and the middle
 * percentile drawn bold. Panels are laid out in a grid, one per target, in one PNG.
 */
public final class PercentileChart {

    private static final Color BAND = new Color(70, 130, 180, 60);
    private static final Color LINE = new Color(30, 80, 140);

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private PercentileChart() {
    }

    /**
     * Writes {@code file} (PNG) with one panel per target of {@code records}, titled {@code title — target}; the
     * y axis is fixed to {@code [yMin, yMax]} when both are finite, automatic otherwise.
     */
    public static void render(List<PercentileRecord> records, double[] percentiles, String title, Path file,
                              double yMin, double yMax) throws IOException {
        Map<String, List<PercentileRecord>> byTarget = new LinkedHashMap<>();
        records.forEach(r -> byTarget.computeIfAbsent(r.target(), t -> new ArrayList<>()).add(r));
        if (byTarget.isEmpty()) {
            throw new IllegalArgumentException("no record to plot for " + file);
        }
        List<XYChart> panels = new ArrayList<>();
        byTarget.forEach((target, list) -> panels.add(panel(title, target, list, percentiles, yMin, yMax)));
        writeGrid(panels, file);
    }

    /** Writes the charts as one PNG, two per row (blank where the last row is short), replacing the file atomically. */
    static void writeGrid(List<XYChart> charts, Path file) throws IOException {
        int cols = Math.min(2, charts.size());
        int rows = (charts.size() + cols - 1) / cols;
        int cellWidth = charts.get(0).getWidth();
        int cellHeight = charts.get(0).getHeight();
        BufferedImage grid = new BufferedImage(cols * cellWidth, rows * cellHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
            for (int i = 0; i < charts.size(); i++) {
                g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), (i % cols) * cellWidth,
                        (i / cols) * cellHeight, null);
            }
        } finally {
            g.dispose();
        }
        AtomicFiles.write(file, out -> ImageIO.write(grid, "png", out));
    }

    /** As {@link #render(List, double[], String, Path, double, double)} with an automatic y axis. */
    public static void render(List<PercentileRecord> records, double[] percentiles, String title, Path file)
            throws IOException {
        render(records, percentiles, title, file, Double.NaN, Double.NaN);
    }

    private static XYChart panel(String title, String target, List<PercentileRecord> records, double[] percentiles,
                                 double yMin, double yMax) {
        XYChart chart = new XYChartBuilder().width(640).height(420)
                .title(title.isEmpty() ? describe(target) : title + " — " + describe(target))
                .xAxisTitle("training step").yAxisTitle("layer input").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
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
            XYSeries series = chart.addSeries(Percentiles.label(percentiles[p]), steps, curves[p]);
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            series.setMarker(SeriesMarkers.NONE);
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
