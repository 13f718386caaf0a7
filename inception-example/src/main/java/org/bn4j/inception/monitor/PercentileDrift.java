package org.bn4j.inception.monitor;

import java.util.List;

/**
 * How much a monitored distribution moved over training, the quantity behind Ioffe &amp; Szegedy 2015, Figure
 * 1(b,c): the middle percentile (the median with the default percentiles) at the first and last reading, its range
 * over all readings, and the spread between the outer percentiles at the first and last reading.
 *
 * @param target       target label
 * @param readings     number of readings
 * @param firstMiddle  middle percentile at the first reading
 * @param lastMiddle   middle percentile at the last reading
 * @param middleRange  max − min of the middle percentile over all readings
 * @param firstSpread  highest − lowest percentile at the first reading
 * @param lastSpread   highest − lowest percentile at the last reading
 */
public record PercentileDrift(String target, int readings, double firstMiddle, double lastMiddle,
                              double middleRange, double firstSpread, double lastSpread) {

    /** The drift of {@code target} in {@code records} (in step order); IllegalArgumentException if it has none. */
    public static PercentileDrift of(List<PercentileRecord> records, String target) {
        List<PercentileRecord> mine = records.stream().filter(r -> r.target().equals(target)).toList();
        if (mine.isEmpty()) {
            throw new IllegalArgumentException("no record of target " + target);
        }
        int width = mine.get(0).values().length;
        int middle = width / 2;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (PercentileRecord r : mine) {
            min = Math.min(min, r.values()[middle]);
            max = Math.max(max, r.values()[middle]);
        }
        double[] first = mine.get(0).values();
        double[] last = mine.get(mine.size() - 1).values();
        return new PercentileDrift(target, mine.size(), first[middle], last[middle], max - min,
                first[width - 1] - first[0], last[width - 1] - last[0]);
    }
}
