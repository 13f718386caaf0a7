package org.bn4j.inception.monitor;

import org.bn4j.inception.Csv;
import org.bn4j.inception.UserError;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A training listener that watches the distributions of layer inputs, the picture behind Ioffe &amp; Szegedy 2015,
 * §4.1, Figure 1(b,c): without batch normalization the input of a sigmoid drifts over training, with it the
 * distribution stays put.
 *
 * <p>Every {@code every} iterations it feeds a fixed monitoring batch through the network in inference mode, takes
 * the chosen percentiles (default 15th, 50th, 85th) of the input of each {@link MonitorTarget}, appends them to
 * {@code <name>.csv} and, every {@code renderEvery} readings and on {@link #close()}, redraws {@code <name>.png}
 * (one panel per target, see {@link PercentileRecord#plot}). Its cost is one inference pass of the monitoring batch and a
 * sort of at most {@code maxValues} values per target per reading, so it is negligible when {@code every} is large.
 * Works with MultiLayerNetwork and ComputationGraph (see {@link LayerInputs}).
 */
public final class DistributionMonitor extends BaseTrainingListener implements Closeable {

    /** Iterations between readings unless {@link Builder#every} says otherwise. */
    public static final int DEFAULT_EVERY = 100;
    private static final Logger LOG = LoggerFactory.getLogger(DistributionMonitor.class);

    private final List<MonitorTarget> targets;
    private Model model;
    private LayerInputs inputs;
    private final INDArray features;
    private final int every;
    private final double[] percentiles;
    private final int maxValues;
    private final int renderEvery;
    private final String title;
    private final Path csvFile;
    private final Path pngFile;
    private final Csv.Appender csv;
    private final List<PercentileRecord> records = new ArrayList<>();
    private int readings;
    private long overheadNanos;
    private boolean closed;

    private DistributionMonitor(Builder b) throws IOException {
        this.targets = b.targets;
        if (b.model != null) {
            bind(b.model);
        }
        this.features = b.features;
        this.every = b.every;
        this.percentiles = b.percentiles.clone();
        this.maxValues = b.maxValues;
        this.renderEvery = b.renderEvery;
        this.title = b.title;
        this.csvFile = b.outputDir.resolve(b.name + ".csv");
        this.pngFile = b.outputDir.resolve(b.name + ".png");
        this.csv = new Csv.Appender(csvFile, PercentileRecord.csvHeader(percentiles));
    }

    /** A builder for a monitor of {@code model} reading the layer inputs of the monitoring batch {@code features}. */
    public static Builder builder(Model model, INDArray features) {
        return new Builder(Objects.requireNonNull(model, "model"), features);
    }

    /**
     * A builder for a monitor that binds to the network it is first called back with, for code that adds listeners
     * before the network exists; unknown layers are then reported at the first callback.
     */
    public static Builder unboundBuilder(INDArray features) {
        return new Builder(null, features);
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        bind(model);
        long step = iteration + 1L; // DL4J passes the count of iterations before this one
        if (step % every == 0) {
            record(step);
        }
    }

    /** At the first epoch start of a run, records the starting point if nothing has been recorded yet. */
    @Override
    public void onEpochStart(Model model) {
        bind(model);
        if (records.isEmpty()) {
            record(iterationCount(model));
        }
    }

    /** Reads the layer inputs now and records them as {@code step} (e.g. step 0 before training). */
    public void record(long step) {
        if (inputs == null) {
            throw new IllegalStateException("the monitor is not bound to a network yet");
        }
        long start = System.nanoTime();
        Map<MonitorTarget, INDArray> read = inputs.read(features);
        List<PercentileRecord> fresh = new ArrayList<>();
        read.forEach((target, input) -> {
            float[] sample = Percentiles.sample(input, target.unit(), maxValues, step);
            fresh.add(new PercentileRecord(step, target.label(), Percentiles.of(sample, percentiles)));
        });
        try {
            for (PercentileRecord record : fresh) {
                csv.append(record.csvRow());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + csvFile, e);
        }
        records.addAll(fresh);
        readings++;
        if (readings % renderEvery == 0) {
            renderQuietly();
        }
        overheadNanos += System.nanoTime() - start;
    }

    /** Everything recorded so far, in order. */
    public List<PercentileRecord> records() {
        return Collections.unmodifiableList(records);
    }

    /** The percentiles recorded, in CSV column order. */
    public double[] percentiles() {
        return percentiles.clone();
    }

    /** The CSV file. */
    public Path csvFile() {
        return csvFile;
    }

    /** The PNG file. */
    public Path pngFile() {
        return pngFile;
    }

    /** Time spent reading, summarizing, writing and plotting so far, in milliseconds. */
    public double overheadMillis() {
        return overheadNanos / 1e6;
    }

    /** Draws the plot one last time and closes the CSV file; idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!records.isEmpty()) {
                PercentileRecord.plot(records, percentiles, title, pngFile);
            }
        } finally {
            csv.close();
        }
        LOG.info("distribution monitor: {} readings, {} ms in total, files {} and {}", readings,
                Math.round(overheadMillis()), csvFile, pngFile);
    }

    private void bind(Model candidate) {
        if (model == null) {
            inputs = LayerInputs.of(candidate, targets);
            model = candidate;
        } else if (model != candidate) {
            throw new IllegalStateException("this monitor watches another network; use one monitor per network");
        }
    }

    private static long iterationCount(Model model) {
        if (model instanceof org.deeplearning4j.nn.multilayer.MultiLayerNetwork network) {
            return network.getIterationCount();
        }
        return ((org.deeplearning4j.nn.graph.ComputationGraph) model).getIterationCount();
    }

    private void renderQuietly() {
        try {
            PercentileRecord.plot(records, percentiles, title, pngFile);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot draw {} (training goes on): {}", pngFile, e.toString());
        }
    }

    /** Options of a {@link DistributionMonitor}; every setter says its default. */
    public static final class Builder {
        private final Model model;
        private final INDArray features;
        private List<MonitorTarget> targets = List.of();
        private int every = DEFAULT_EVERY;
        private double[] percentiles = Percentiles.PAPER;
        private int maxValues = 50_000;
        private int renderEvery = 10;
        private String title = "";
        private String name = "monitor";
        private Path outputDir = Path.of(".");

        private Builder(Model model, INDArray features) {
            this.model = model;
            this.features = Objects.requireNonNull(features, "features");
        }

        /** The layer inputs to watch. Required. */
        public Builder targets(List<MonitorTarget> targets) {
            this.targets = List.copyOf(targets);
            return this;
        }

        /** Read the inputs every {@code every} iterations. Defaults to {@value DistributionMonitor#DEFAULT_EVERY}. */
        public Builder every(int every) {
            this.every = every;
            return this;
        }

        /** Percentiles to record, each in [0, 100]. Defaults to the paper's 15, 50, 85. */
        public Builder percentiles(double... percentiles) {
            this.percentiles = percentiles.clone();
            return this;
        }

        /** At most this many values per target are sorted per reading (uniform subsample). Defaults to 50,000. */
        public Builder maxValues(int maxValues) {
            this.maxValues = maxValues;
            return this;
        }

        /** Redraw the PNG every this many readings (and on close). Defaults to 10. */
        public Builder renderEvery(int renderEvery) {
            this.renderEvery = renderEvery;
            return this;
        }

        /** Plot title before each panel's target label. Defaults to none. */
        public Builder title(String title) {
            this.title = Objects.requireNonNull(title);
            return this;
        }

        /** Folder of the CSV and PNG files. Defaults to the working directory. */
        public Builder outputDir(Path outputDir) {
            this.outputDir = Objects.requireNonNull(outputDir);
            return this;
        }

        /** Base name of the files: {@code <name>.csv}, {@code <name>.png}. Defaults to {@code monitor}. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name);
            return this;
        }

        /**
         * The monitor, with its CSV file created; IllegalArgumentException for no target, an unknown layer, or a
         * non-positive count.
         */
        public DistributionMonitor build() throws IOException {
            if (targets.isEmpty()) {
                throw new UserError("no layer to monitor");
            }
            if (every < 1 || maxValues < 1 || renderEvery < 1) {
                throw new UserError("every, maxValues and renderEvery must be >= 1, got " + every
                        + ", " + maxValues + ", " + renderEvery);
            }
            Percentiles.validate(percentiles);
            return new DistributionMonitor(this);
        }
    }
}
