package org.bn4j.inception.monitor;

/**
 * The percentiles of one monitored layer input after {@code step} parameter updates.
 *
 * @param step   number of training iterations completed when the input was read
 * @param target label of the {@link MonitorTarget}
 * @param values one value per percentile of the monitor, in its order
 */
public record PercentileRecord(long step, String target, double[] values) {
}
