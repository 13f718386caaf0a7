package org.bn4j.inception.experiment;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Accuracy curves on one plot, as Ioffe &amp; Szegedy 2015, Figure 1(a) and Figure 2, written as a PNG: the y axis
 * spans the whole range [0, 1], a dashed line marks chance, and with a small evaluation set each point carries an
 * error bar of one binomial standard error, √(p(1−p)/n).
 */
public final class CurveChart {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Evaluation sets smaller than this get error bars (at 2,000 images one standard error is at most 1.1%). */
    static final int ERROR_BARS_BELOW = 2000;

    private CurveChart() {
    }

    /**
     * Writes {@code file} (PNG, 800×500) with one line per curve of accuracies measured on {@code examples} images,
     * and a chance line at {@code chance}.
     */
    public static void render(List<Curve> curves, String title, String yTitle, double chance, int examples,
                              Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title)
                .xAxisTitle("training step").yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        boolean errorBars = examples > 0 && examples < ERROR_BARS_BELOW;
        double lastStep = 1;
        for (Curve curve : curves) {
            double[] x = curve.points().stream().mapToDouble(Curve.Point::step).toArray();
            double[] y = curve.points().stream().mapToDouble(Curve.Point::value).toArray();
            XYSeries series = errorBars ? chart.addSeries(curve.name(), x, y, standardErrors(y, examples))
                    : chart.addSeries(curve.name(), x, y);
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            series.setMarker(x.length > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
            lastStep = Math.max(lastStep, x.length == 0 ? 1 : x[x.length - 1]);
        }
        XYSeries chanceLine = chart.addSeries(String.format(Locale.ROOT, "chance (%.2f)", chance),
                new double[] {0, lastStep}, new double[] {chance, chance});
        chanceLine.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chanceLine.setMarker(SeriesMarkers.NONE);
        chanceLine.setLineColor(Color.GRAY);
        chanceLine.setLineStyle(SeriesLines.DASH_DASH);
        if (errorBars) {
            chart.setTitle(title + String.format(Locale.ROOT, " (bars: ±1 standard error, n = %d)", examples));
        }
        BitmapEncoder.saveBitmap(chart, stripPng(file), BitmapEncoder.BitmapFormat.PNG);
    }

    /** One binomial standard error √(p(1−p)/n) per accuracy. */
    static double[] standardErrors(double[] accuracies, int examples) {
        double[] errors = new double[accuracies.length];
        for (int i = 0; i < accuracies.length; i++) {
            double p = accuracies[i];
            errors[i] = Math.sqrt(p * (1 - p) / examples);
        }
        return errors;
    }

    private static String stripPng(Path file) {
        String name = file.toString();
        return name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
    }
}
