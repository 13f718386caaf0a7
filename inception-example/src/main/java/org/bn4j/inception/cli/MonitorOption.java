package org.bn4j.inception.cli;

import org.bn4j.inception.monitor.DistributionMonitor;
import org.bn4j.inception.monitor.MonitorTarget;
import org.bn4j.inception.monitor.Percentiles;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code --monitor LAYER[:UNIT],...} options of any training command (a picocli mixin): attaches a
 * {@link DistributionMonitor} to the network so the input distributions of the named layers (Ioffe &amp; Szegedy
 * 2015, §4.1, Figure 1(b,c)) are written to {@code monitor.csv} / {@code monitor.png} in the run folder while it
 * trains. Usage in a command: {@code @Mixin MonitorOption monitor;}, then
 * {@code monitor.listener(validationIterator, runDir).ifPresent(builder::listener)} on the
 * {@code TrainingRun.Builder};
 * {@link #close()} when training ends (draws the final plot). The defaults are the {@link DistributionMonitor}'s.
 */
public final class MonitorOption implements AutoCloseable {

    @Option(names = "--monitor", split = ",", paramLabel = "LAYER[:UNIT]",
            description = "Record percentiles of the input of these layers (graph vertex name, or MultiLayerNetwork"
                    + " layer name or index; :UNIT picks one feature/channel) to monitor.csv and monitor.png.")
    private List<String> targets = new ArrayList<>();

    @Option(names = "--monitor-every", paramLabel = "K", defaultValue = "" + DistributionMonitor.DEFAULT_EVERY,
            description = "Read the monitored inputs every K iterations (default: ${DEFAULT-VALUE}).")
    private int every;

    @Option(names = "--monitor-percentiles", paramLabel = "P,...", defaultValue = Percentiles.PAPER_LIST,
            description = "Percentiles to record (default: ${DEFAULT-VALUE}, as in the paper's Figure 1).")
    private String percentiles;

    @Option(names = "--monitor-examples", paramLabel = "N", defaultValue = "256",
            description = "Size of the fixed monitoring batch (default: ${DEFAULT-VALUE}).")
    private int examples;

    private DistributionMonitor created;

    /** True when at least one layer was named. */
    public boolean enabled() {
        return !targets.isEmpty();
    }

    /** Requested size of the monitoring batch. */
    public int examples() {
        return examples;
    }

    /** The parsed targets. */
    public List<MonitorTarget> targets() {
        return MonitorTarget.parseList(String.join(",", targets));
    }

    /**
     * When enabled: a monitor writing to {@code outputDir} that binds to the network it is first called back with
     * and records the starting point at the first epoch start; its monitoring batch is the first {@link #examples()}
     * examples of {@code source}. Empty when no layer was named.
     */
    public Optional<DistributionMonitor> listener(DataSetIterator source, Path outputDir) throws IOException {
        if (!enabled()) {
            return Optional.empty();
        }
        created = DistributionMonitor.unboundBuilder(firstExamples(source, examples))
                .targets(targets())
                .every(every)
                .percentiles(Percentiles.parse(percentiles))
                .outputDir(outputDir)
                .build();
        return Optional.of(created);
    }

    /** Closes the monitor this option created, if any (writes the final plot). */
    @Override
    public void close() throws IOException {
        if (created != null) {
            created.close();
        }
    }

    /** The features of the first {@code n} examples of {@code iterator} (fewer if it has fewer); resets it. */
    public static INDArray firstExamples(DataSetIterator iterator, int n) {
        List<INDArray> parts = new ArrayList<>();
        long taken = 0;
        iterator.reset();
        while (taken < n && iterator.hasNext()) {
            DataSet batch = iterator.next();
            INDArray features = batch.getFeatures();
            long take = Math.min(features.size(0), n - taken);
            parts.add(features.get(NDArrayIndex.interval(0, take)).dup());
            taken += take;
        }
        iterator.reset();
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("the iterator has no example to monitor with");
        }
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(new INDArray[0]));
    }
}
