package org.bn4j.inception.monitor;

import org.bn4j.inception.UserError;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link DistributionMonitor} watches: the input to one layer, all its values or those of one unit (a column
 * of dense input, a channel of convolutional input). Ioffe &amp; Szegedy 2015, §4.1, Figure 1(b,c) watch the input
 * of one sigmoid over training.
 *
 * <p>Text form, as on the command line: {@code LAYER} or {@code LAYER:UNIT}, where {@code LAYER} is a
 * ComputationGraph vertex name, a MultiLayerNetwork layer name, or a MultiLayerNetwork layer index.
 *
 * @param layer the layer whose input is watched
 * @param unit  the feature or channel index, or -1 for all values
 */
public record MonitorTarget(String layer, int unit) {

    /** Marks a target that pools the values of all units. */
    public static final int ALL_UNITS = -1;

    /** Throws IllegalArgumentException for a blank layer or a unit below -1. */
    public MonitorTarget {
        if (layer == null || layer.isBlank()) {
            throw new UserError("a monitored layer needs a name or an index");
        }
        if (unit < ALL_UNITS) {
            throw new UserError("unit must be >= 0, got " + unit + " for layer " + layer);
        }
    }

    /** All values of the input to {@code layer}. */
    public static MonitorTarget layer(String layer) {
        return new MonitorTarget(layer, ALL_UNITS);
    }

    /** Parses {@code LAYER} or {@code LAYER:UNIT}. */
    public static MonitorTarget parse(String text) {
        String trimmed = text.trim();
        int colon = trimmed.lastIndexOf(':');
        if (colon < 0) {
            return layer(trimmed);
        }
        String unit = trimmed.substring(colon + 1);
        try {
            return new MonitorTarget(trimmed.substring(0, colon), Integer.parseInt(unit));
        } catch (NumberFormatException e) {
            throw new UserError("bad monitor target \"" + text + "\": expected LAYER or LAYER:UNIT"
                    + " with an integer UNIT, got \"" + unit + "\"", e);
        }
    }

    /** Parses a comma-separated list of targets. */
    public static List<MonitorTarget> parseList(String commaSeparated) {
        List<MonitorTarget> targets = new ArrayList<>();
        for (String part : commaSeparated.split(",")) {
            if (!part.isBlank()) {
                targets.add(parse(part));
            }
        }
        if (targets.isEmpty()) {
            throw new UserError("no layer to monitor in \"" + commaSeparated + "\"");
        }
        return targets;
    }

    /** True when all units are pooled. */
    public boolean allUnits() {
        return unit == ALL_UNITS;
    }

    /** The text form, also used as the target's label in CSV files and plots. */
    public String label() {
        return allUnits() ? layer : layer + ":" + unit;
    }

    @Override
    public String toString() {
        return label();
    }
}
