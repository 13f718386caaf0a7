package org.bn4j.inception.experiment;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Learning curves on one plot, as Ioffe &amp; Szegedy 2015, Figure 1(a) and Figure 2, written as a PNG. */
public final class CurveChart {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private CurveChart() {
    }

    /** Writes {@code file} (PNG, 800×500) with one line per curve. */
    public static void render(List<Curve> curves, String title, String yTitle, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title)
                .xAxisTitle("training step").yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(4);
        for (Curve curve : curves) {
            double[] x = curve.points().stream().mapToDouble(Curve.Point::step).toArray();
            double[] y = curve.points().stream().mapToDouble(Curve.Point::value).toArray();
            XYSeries series = chart.addSeries(curve.name(), x, y);
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            series.setMarker(x.length > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        }
        BitmapEncoder.saveBitmap(chart, stripPng(file), BitmapEncoder.BitmapFormat.PNG);
    }

    private static String stripPng(Path file) {
        String name = file.toString();
        return name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
    }
}
