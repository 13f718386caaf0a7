package org.bn4j.inception.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A learning curve: accuracy (or another score, higher is better) after a number of training steps, as plotted in
 * Ioffe &amp; Szegedy 2015, Figures 1(a) and 2, with the two summaries of Figure 3: the best value and the first
 * step at which a threshold is reached.
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
}
