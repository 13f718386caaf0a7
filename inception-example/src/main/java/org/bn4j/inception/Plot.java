package org.bn4j.inception;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The application's plots (learning curves, percentile bands, search scores) on XChart: a chart with titles and
 * size, line series, and PNG files written atomically ({@link AtomicFiles}), one chart or a grid of them. Runs
 * headless (no display needed).
 */
public final class Plot {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Plot() {
    }

    /** An empty chart of {@code width × height} pixels with these titles. */
    public static XYChart chart(String title, String xTitle, String yTitle, int width, int height) {
        return new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
                .build();
    }

    /** Adds a line series without markers. */
    public static XYSeries line(XYChart chart, String name, double[] x, double[] y) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        series.setMarker(SeriesMarkers.NONE);
        return series;
    }

    /** Writes {@code chart} to {@code file} as PNG. */
    public static void save(XYChart chart, Path file) throws IOException {
        save(List.of(chart), 1, file);
    }

    /**
     * Writes {@code charts} to {@code file} as one PNG, {@code columns} per row (blank where the last row is short),
     * each cell the size of the first chart.
     */
    public static void save(List<XYChart> charts, int columns, Path file) throws IOException {
        if (charts.isEmpty()) {
            throw new IllegalArgumentException("no chart to write to " + file);
        }
        int cols = Math.min(columns, charts.size());
        int rows = (charts.size() + cols - 1) / cols;
        int cellWidth = charts.get(0).getWidth();
        int cellHeight = charts.get(0).getHeight();
        BufferedImage image = new BufferedImage(cols * cellWidth, rows * cellHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            for (int i = 0; i < charts.size(); i++) {
                g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), (i % cols) * cellWidth,
                        (i / cols) * cellHeight, null);
            }
        } finally {
            g.dispose();
        }
        AtomicFiles.write(file, out -> ImageIO.write(image, "png", out));
    }
}
