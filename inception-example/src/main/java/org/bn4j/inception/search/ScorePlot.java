package org.bn4j.inception.search;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * The search's plot (XChart, PNG): validation accuracy against initial learning rate (log axis), one colour for
 * batch-normalized candidates and one for the baseline; candidates without a score (diverged, failed, stopped) are
 * drawn at accuracy 0 as crosses.
 */
public final class ScorePlot {

    /** File name of the plot in the output folder. */
    public static final String FILE_NAME = "score-vs-learning-rate.png";

    private ScorePlot() {
    }

    /** Writes the plot of {@code records} to {@code dir/}{@value #FILE_NAME}; the path, or null if nothing to plot. */
    public static Path write(Path dir, List<CandidateRecord> records) throws IOException {
        List<CandidateRecord> plotted = records.stream().filter(r -> r.candidate() != null).toList();
        if (plotted.isEmpty()) {
            return null;
        }
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(800).height(500)
                .title("Validation accuracy against initial learning rate")
                .xAxisTitle("initial learning rate").yAxisTitle("validation accuracy").build();
        chart.getStyler().setXAxisLogarithmic(true);
        // whole decades at both ends, plain decimals: ticks at 0.001, 0.01, 0.1 instead of crowded labels
        double[] rates = plotted.stream().mapToDouble(r -> r.candidate().learningRate()).toArray();
        chart.getStyler().setXAxisMin(Math.pow(10, Math.floor(Math.log10(Arrays.stream(rates).min().orElse(1e-3)))));
        chart.getStyler().setXAxisMax(Math.pow(10, Math.ceil(Math.log10(Arrays.stream(rates).max().orElse(1e-1))
                + 1e-9)));
        chart.getStyler().setXAxisLogarithmicDecadeOnly(true);
        chart.getStyler().setXAxisDecimalPattern("0.######");
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(10);
        addSeries(chart, "BN on", plotted, r -> r.scored() && r.candidate().batchNorm());
        addSeries(chart, "BN off", plotted, r -> r.scored() && !r.candidate().batchNorm());
        XYSeries failed = addSeries(chart, "no score (diverged/failed/stopped)", plotted, r -> !r.scored());
        if (failed != null) {
            failed.setMarker(SeriesMarkers.CROSS);
        }
        Path file = dir.resolve(FILE_NAME);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }

    private static XYSeries addSeries(XYChart chart, String name, List<CandidateRecord> records,
                                      Predicate<CandidateRecord> filter) {
        List<CandidateRecord> chosen = records.stream().filter(filter).toList();
        if (chosen.isEmpty()) {
            return null;
        }
        double[] x = chosen.stream().mapToDouble(r -> r.candidate().learningRate()).toArray();
        double[] y = chosen.stream().mapToDouble(r -> r.scored() ? r.score() : 0.0).toArray();
        return chart.addSeries(name, x, y);
    }
}
