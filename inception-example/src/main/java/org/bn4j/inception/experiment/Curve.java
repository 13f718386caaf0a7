package org.bn4j.inception.experiment;

import org.bn4j.inception.Csv;
import org.bn4j.inception.Plot;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A learning curve: accuracy (or another score, higher is better) after a number of training steps, as plotted in
 * Ioffe &amp; Szegedy 2015, Figures 1(a) and 2, with the two summaries of Figure 3: the best value and the first
 * step at which a threshold is reached. Curves are saved as CSV in long form ({@link #writeCsv}) and drawn as the
 * paper's figures ({@link #plot}).
 *
 * @param name   series name, e.g. a recipe
 * @param points the measurements, in increasing step order
 */
public record Curve(String name, List<Point> points) {

    /** One measurement. */
    public record Point(long step, double value) {
    }

    /** Copies the points. */
    public Curve {
        points = List.copyOf(points);
    }

    /** A curve with the same name and one more point. */
    public Curve plus(long step, double value) {
        List<Point> more = new ArrayList<>(points);
        more.add(new Point(step, value));
        return new Curve(name, more);
    }

    /** Best value; NaN for an empty curve. */
    public double best() {
        return points.stream().mapToDouble(Point::value).max().orElse(Double.NaN);
    }

    /** Last value; NaN for an empty curve. */
    public double last() {
        return points.isEmpty() ? Double.NaN : points.get(points.size() - 1).value();
    }

    /** First step whose value is at least {@code threshold}; empty if never reached. */
    public OptionalLong stepsToReach(double threshold) {
        return points.stream().filter(p -> p.value() >= threshold).mapToLong(Point::step).findFirst();
    }

    /** Evaluation sets smaller than this get error bars (at 2,000 images one standard error is at most 1.1%). */
    static final int ERROR_BARS_BELOW = 2000;

    /** Writes the curves (replacing the file atomically) as {@code step,<seriesColumn>,<valueColumn>} rows. */
    public static void writeCsv(Path file, List<Curve> curves, String seriesColumn, String valueColumn)
            throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (Curve curve : curves) {
            for (Point p : curve.points()) {
                rows.add(List.of(Long.toString(p.step()), curve.name(), String.format(Locale.ROOT, "%.6f", p.value())));
            }
        }
        Csv.write(file, List.of("step", seriesColumn, valueColumn), rows);
    }

    /** Reads curves written by {@link #writeCsv}, in order of first appearance. */
    public static List<Curve> readCsv(Path file) throws IOException {
        List<List<String>> rows = Csv.read(file);
        if (rows.get(0).size() != 3) {
            throw new IOException(file + ": expected 3 columns, got the header " + rows.get(0));
        }
        Map<String, Curve> curves = new LinkedHashMap<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            curves.merge(row.get(1), new Curve(row.get(1), List.of(new Point(Long.parseLong(row.get(0)),
                    Double.parseDouble(row.get(2))))), (a, b) -> a.plus(b.points().get(0).step(), b.last()));
        }
        return new ArrayList<>(curves.values());
    }

    /**
     * Accuracy curves on one plot, as Ioffe &amp; Szegedy 2015, Figure 1(a) and Figure 2: writes {@code file} (PNG,
     * 800×500) with one line per curve of accuracies measured on {@code examples} images; the y axis spans [0, 1], a
     * dashed line marks chance, and with a small evaluation set each point carries an error bar of one binomial
     * standard error, √(p(1−p)/n).
     */
    public static void plot(List<Curve> curves, String title, String yTitle, double chance, int examples, Path file)
            throws IOException {
        plot(curves, title, yTitle, chance, examples, file, false);
    }

    /** As {@link #plot(List, String, String, double, int, Path)}, with a logarithmic step axis when {@code logX}. */
    public static void plot(List<Curve> curves, String title, String yTitle, double chance, int examples, Path file,
                            boolean logX) throws IOException {
        XYChart chart = Plot.chart(title, "training step", yTitle, 800, 500);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        chart.getStyler().setXAxisLogarithmic(logX);
        boolean errorBars = examples > 0 && examples < ERROR_BARS_BELOW;
        double lastStep = 1;
        for (Curve curve : curves) {
            double[] x = curve.points().stream().mapToDouble(Point::step).toArray();
            double[] y = curve.points().stream().mapToDouble(Point::value).toArray();
            XYSeries series = errorBars ? chart.addSeries(curve.name(), x, y, standardErrors(y, examples))
                    : chart.addSeries(curve.name(), x, y);
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            series.setMarker(x.length > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
            lastStep = Math.max(lastStep, x.length == 0 ? 1 : x[x.length - 1]);
        }
        XYSeries chanceLine = Plot.line(chart, String.format(Locale.ROOT, "chance (%.2f)", chance),
                new double[] {logX ? 1 : 0, lastStep}, new double[] {chance, chance});
        chanceLine.setLineColor(Color.GRAY);
        chanceLine.setLineStyle(SeriesLines.DASH_DASH);
        if (errorBars) {
            chart.setTitle(title + String.format(Locale.ROOT, " (bars: ±1 standard error, n = %d)", examples));
        }
        Plot.save(chart, file);
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
}
