package org.bn4j.statistics;

import org.bn4j.BatchNorm;
import org.bn4j.PopulationAveraging;
import org.bn4j.math.BatchNormKernels;
import org.bn4j.math.cpu.CpuKernels;
import org.bn4j.math.FeatureLayout;
import org.bn4j.math.PopulationUpdate;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * Population statistics of a trained network by the paper's inference procedure, Algorithm 2 of Ioffe &amp; Szegedy
 * (ICML 2015, §3.1): after training, process many training mini-batches with the <em>training</em> network and
 * average their statistics. For each batch-normalization layer and each feature, over mini-batches B with m values
 * per feature,
 * <pre>
 *   E[x]   = E_B[μ_B]                    the mean of the batch means
 *   Var[x] = m/(m−1) · E_B[σ²_B]         the unbiased estimate from the mean of the biased batch variances
 * </pre>
 * The moving averages kept while training are only a way to follow accuracy during training; this estimate is
 * the paper's. It is PyTorch's {@code torch.optim.swa_utils.update_bn} and fvcore's "precise BN".
 *
 * <p>{@code estimate} runs one forward pass per mini-batch over up to {@code maxBatches} mini-batches with the whole
 * network in training mode (so earlier normalization layers use batch statistics and dropout is active, exactly as
 * the inputs of each layer were seen in training), collects each layer's per-feature statistics from its input,
 * and writes E[x] and Var[x] into every batch-normalization layer: bn4j's {@link BatchNorm} ({@code mean},
 * {@code var}; for {@link PopulationAveraging#CUMULATIVE} also {@code count} = the number of batches) and DL4J's
 * built-in {@code BatchNormalization} ({@code mean}, and {@code var} or {@code log10stdev} = log10√Var). Nothing
 * else changes: no parameter other than these statistics, no updater state, no iteration or epoch count.
 * Layers wrapped in DL4J's {@code FrozenLayer} keep their statistics, and so do bn4j layers with frozen statistics
 * ({@code frozenStatistics(true)}, {@link org.bn4j.deploy.BatchNormStatisticsFreezer}): frozen statistics never change
 * (unfreeze a layer to re-estimate it; the skipped layers are logged at info level).
 *
 * <p>The first mini-batch is checked against the network's first layer (and its input preprocessor): features of
 * another image size, channel count or rank are an {@code IllegalArgumentException} that says what the iterator
 * gives and what the network expects.
 *
 * <p><b>Unequal batches</b>: every mini-batch has the same weight in E_B, as in the paper, including a last, smaller
 * one; the variance of each batch is made unbiased with its own {@code m_B/(m_B−1)}, so
 * {@code Var[x] = E_B[m_B/(m_B−1)·σ²_B]}, which is the paper's formula when all batches have m values. A mini-batch
 * is skipped only when some normalization layer would see one value per feature (a single example reaching a dense
 * layer): a single image still gives a convolutional layer H·W values per channel and counts. Drop a ragged last
 * batch from the iterator if it should not count as much as a full one.
 *
 * <p>The iterator is reset first when it supports reset. The estimate is quiet: it prints nothing and logs only a
 * warning about skipped batches. For progress, pass an {@link IntConsumer} that receives the number of mini-batches
 * done after each one (the example application draws its console progress bar from it).
 *
 * <p><b>Entry points</b>: {@code estimate(net, data, maxBatches)}, and the same with a progress listener, where
 * {@code net} is a {@link MultiLayerNetwork} or a {@link ComputationGraph} (any other {@link NeuralNetwork} is an
 * {@code IllegalArgumentException}) and {@code data} a {@link DataSetIterator} (a network with one input) or a
 * {@link MultiDataSetIterator} (one features array per network input).
 *
 * <pre>
 *   PopulationEstimate e = PopulationStatistics.estimate(net, trainIterator, 200);
 *   PopulationStatistics.estimate(graph, trainMultiIterator, 200, batchesDone -&gt; bar.show(batchesDone));
 * </pre>
 *
 * <p><b>In parts</b> (for example on several machines): {@code accumulate} sums the statistics of some mini-batches
 * into {@link PopulationSums} without changing the network, sums of disjoint mini-batches {@link PopulationSums#merge
 * merge} exactly, and {@code apply} writes the merged result; {@code counts} is the rule that decides which
 * mini-batches count. {@code estimate} is {@code accumulate} followed by {@code apply} on one machine; module bn-spark
 * does the same on Spark executors.
 */
public final class PopulationStatistics {

    /** Per-feature mean and biased variance of a layer input (fast CPU kernels, ND4J ops otherwise). */
    private static final BatchNormKernels MOMENTS = new CpuKernels();

    private static final Logger log = LoggerFactory.getLogger(PopulationStatistics.class);
    private static final IntConsumer NO_PROGRESS = batchesDone -> { };

    private PopulationStatistics() {
    }

    /**
     * Algorithm 2 over up to {@code maxBatches} mini-batches of {@code data}, for a {@link MultiLayerNetwork} or a
     * {@link ComputationGraph} with one input.
     */
    public static PopulationEstimate estimate(NeuralNetwork net, DataSetIterator data, int maxBatches) {
        return estimate(net, data, maxBatches, NO_PROGRESS);
    }

    /** As {@link #estimate(NeuralNetwork, DataSetIterator, int)}, telling {@code progress} each batch done. */
    public static PopulationEstimate estimate(NeuralNetwork net, DataSetIterator data, int maxBatches,
                                              IntConsumer progress) {
        NetworkForward network = NetworkForward.of(net);
        if (network.inputs() != 1) {
            throw new IllegalArgumentException("the " + network.kind() + " has " + network.inputs()
                    + " inputs: use a MultiDataSetIterator");
        }
        List<NormalizationLayers.Entry> layers = estimable(network, true);
        check(layers, data, maxBatches, network.kind());
        if (data.resetSupported()) {
            data.reset();
        }
        return estimate(network, layers, inputsOf(data, batch -> new INDArray[] {batch.getFeatures()}), maxBatches,
                progress);
    }

    /**
     * Algorithm 2 over up to {@code maxBatches} mini-batches of {@code data}, whose features hold one array per
     * network input (a {@link ComputationGraph} with several inputs; one array for a {@link MultiLayerNetwork}).
     */
    public static PopulationEstimate estimate(NeuralNetwork net, MultiDataSetIterator data, int maxBatches) {
        return estimate(net, data, maxBatches, NO_PROGRESS);
    }

    /** As {@link #estimate(NeuralNetwork, MultiDataSetIterator, int)}, telling {@code progress} each batch done. */
    public static PopulationEstimate estimate(NeuralNetwork net, MultiDataSetIterator data, int maxBatches,
                                              IntConsumer progress) {
        NetworkForward network = NetworkForward.of(net);
        List<NormalizationLayers.Entry> layers = estimable(network, true);
        check(layers, data, maxBatches, network.kind());
        if (data.resetSupported()) {
            data.reset();
        }
        return estimate(network, layers, inputsOf(data, MultiDataSet::getFeatures), maxBatches, progress);
    }

    /**
     * The first half of Algorithm 2 without writing anything: sums the statistics of up to {@code maxBatches}
     * mini-batches of network inputs (skipped as by {@code estimate}, and then they do not count), with the
     * whole network in training mode, exactly as {@link #estimate(NeuralNetwork, DataSetIterator, int)} does.
     * The network's parameters are not changed. Sums of disjoint parts of the data {@link PopulationSums#merge
     * merge} exactly; {@link #apply(NeuralNetwork, PopulationSums)} writes the result. No progress is shown.
     *
     * @param inputs the network's inputs of each mini-batch, in order (one array per network input, so one for a
     *               {@link MultiLayerNetwork}); read up to the {@code maxBatches}-th counted one
     */
    public static PopulationSums accumulate(NeuralNetwork net, Iterator<INDArray[]> inputs, int maxBatches) {
        NetworkForward network = NetworkForward.of(net);
        List<NormalizationLayers.Entry> layers = estimable(network, false);
        check(layers, inputs, maxBatches, network.kind());
        return sum(network, layers, inputs, maxBatches, NO_PROGRESS);
    }

    /**
     * The second half of Algorithm 2: writes E[x] = Σμ_B / n and Var[x] = Σ(m_B/(m_B−1)·σ²_B) / n from {@code sums}
     * into every batch-normalization layer of {@code net} (as {@code estimate} does) and returns them.
     *
     * @throws IllegalArgumentException if the sums hold no mini-batch or are for other layers
     */
    public static PopulationEstimate apply(NeuralNetwork net, PopulationSums sums) {
        NetworkForward network = NetworkForward.of(net);
        List<NormalizationLayers.Entry> layers = estimable(network, false);
        List<String> names = names(layers);
        if (!names.equals(sums.layers())) {
            throw new IllegalArgumentException("the population sums are for layers " + sums.layers() + " but the "
                    + network.kind() + " has batch-normalization layers " + names);
        }
        if (sums.batches() == 0) {
            throw new IllegalArgumentException("the population sums hold no mini-batch (" + sums.skipped()
                    + " skipped with one value per feature): Algorithm 2 needs at least one training mini-batch");
        }
        return write(layers, sums);
    }

    /**
     * Whether Algorithm 2 counts a mini-batch with these inputs (one array per network input), by the rule that
     * {@code estimate} and {@code accumulate} apply: a mini-batch of at least 2 examples counts; a single example
     * counts only if every normalization layer then sees at least 2 values per feature (a convolutional layer sees
     * H·W per channel, a dense one sees one). For a single example this runs one inference-mode forward pass; the
     * network's parameters and input are unchanged. Distributed passes (module bn-spark) use it to count
     * mini-batches exactly as one machine does.
     */
    public static boolean counts(NeuralNetwork net, INDArray... inputs) {
        if (inputs == null || inputs.length == 0 || inputs[0] == null) {
            throw new IllegalArgumentException("the inputs are null or empty");
        }
        NetworkForward network = NetworkForward.of(net);
        List<NormalizationLayers.Entry> layers = withoutFrozen(network.layers());
        return network.restoring(() -> counts(inputs, network, layers));
    }

    /** The features of each mini-batch of {@code data}, as network inputs. */
    private static <T> Iterator<INDArray[]> inputsOf(Iterator<T> data, Function<T, INDArray[]> features) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return data.hasNext();
            }

            @Override
            public INDArray[] next() {
                return features.apply(data.next());
            }
        };
    }

    /**
     * The layers whose statistics Algorithm 2 writes: all but bn4j layers with frozen statistics, which never change
     * (listed at info level when {@code logFrozen}). An empty result when every layer is frozen is an error (see
     * {@link #check}).
     */
    private static List<NormalizationLayers.Entry> estimable(NetworkForward network, boolean logFrozen) {
        List<NormalizationLayers.Entry> layers = network.layers();
        List<NormalizationLayers.Entry> out = withoutFrozen(layers);
        List<String> frozen = new ArrayList<>();
        for (NormalizationLayers.Entry entry : layers) {
            if (!out.contains(entry)) {
                frozen.add(entry.name);
            }
        }
        if (!frozen.isEmpty() && out.isEmpty()) {
            throw new IllegalArgumentException("every batch-normalization layer of the network has frozen statistics "
                    + frozen + ", which never change: unfreeze them first (BatchNormStatisticsFreezer.unfreeze(net)) "
                    + "to re-estimate them with Algorithm 2");
        }
        if (!frozen.isEmpty() && logFrozen) {
            log.info("Population statistics: layers {} have frozen statistics and keep them", frozen);
        }
        return out;
    }

    private static List<NormalizationLayers.Entry> withoutFrozen(List<NormalizationLayers.Entry> layers) {
        List<NormalizationLayers.Entry> out = new ArrayList<>();
        for (NormalizationLayers.Entry entry : layers) {
            if (!(entry.isBn4j() && entry.bn4jConf().isFrozenStatistics())) {
                out.add(entry);
            }
        }
        return out;
    }

    private static void check(List<NormalizationLayers.Entry> layers, Object data, int maxBatches, String kind) {
        if (data == null) {
            throw new IllegalArgumentException("the iterator is null");
        }
        if (maxBatches < 1) {
            throw new IllegalArgumentException("maxBatches must be at least 1, got " + maxBatches);
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("the " + kind + " has no batch-normalization layer (bn4j BatchNorm or "
                    + "DL4J BatchNormalization, not wrapped in a FrozenLayer): there are no population statistics "
                    + "to estimate");
        }
    }

    /** Algorithm 2 over the given mini-batches: {@link #sum}, then E[x] and Var[x] written into {@code layers}. */
    private static PopulationEstimate estimate(NetworkForward network, List<NormalizationLayers.Entry> layers,
                                               Iterator<INDArray[]> inputs, int maxBatches, IntConsumer progress) {
        PopulationSums sums = sum(network, layers, inputs, maxBatches, progress);
        if (sums.skipped() > 0) {
            log.warn("Population statistics: skipped {} single-example mini-batch(es) with one value per feature "
                    + "in a normalization layer", sums.skipped());
        }
        if (sums.batches() == 0) {
            throw new IllegalArgumentException("the iterator gave no mini-batch with at least 2 values per feature "
                    + "in every normalization layer" + (sums.skipped() > 0 ? " (" + sums.skipped() + " skipped)"
                    : " (it is empty)") + ": Algorithm 2 needs at least one training mini-batch");
        }
        return write(layers, sums);
    }

    /**
     * Sums the statistics of up to {@code maxBatches} counted mini-batches, the first checked against what the
     * network expects, telling {@code progress} the number of batches summed after each one.
     */
    private static PopulationSums sum(NetworkForward network, List<NormalizationLayers.Entry> layers,
                                      Iterator<INDArray[]> inputs, int maxBatches, IntConsumer progress) {
        network.checkingFirstBatch();
        return network.restoring(() -> {
            PopulationSums sums = new PopulationSums(names(layers));
            while (sums.batches() < maxBatches && inputs.hasNext()) {
                INDArray[] batch = inputs.next();
                if (!counts(batch, network, layers)) {
                    sums.countSkipped();
                    continue;
                }
                network.forward(batch, true);
                for (NormalizationLayers.Entry entry : layers) {
                    addBatch(entry, sums);
                }
                sums.countBatch();
                progress.accept(sums.batches());
            }
            return sums;
        });
    }

    /** The rule of {@link #counts(NeuralNetwork, INDArray...)}. */
    private static boolean counts(INDArray[] inputs, NetworkForward network, List<NormalizationLayers.Entry> layers) {
        return inputs[0].size(0) >= 2 || everyLayerSeesTwoValuesPerFeature(inputs, network, layers);
    }

    /**
     * Whether a mini-batch of one example gives every normalization layer at least two values per feature (a
     * convolutional layer sees H·W values per channel; a dense one sees one). Found by an inference-mode forward pass
     * of that one example, which cannot fail on the degenerate batch that a training-mode pass would reject.
     */
    private static boolean everyLayerSeesTwoValuesPerFeature(INDArray[] inputs, NetworkForward network,
                                                             List<NormalizationLayers.Entry> layers) {
        network.forward(inputs, false);
        for (NormalizationLayers.Entry entry : layers) {
            INDArray input = entry.layer.input();
            if (input == null || entry.layout(input.rank()).valuesPerFeature(input) < 2) {
                return false;
            }
        }
        return true;
    }

    private static List<String> names(List<NormalizationLayers.Entry> layers) {
        List<String> names = new ArrayList<>();
        layers.forEach(entry -> names.add(entry.name));
        return names;
    }

    private static PopulationEstimate write(List<NormalizationLayers.Entry> layers, PopulationSums sums) {
        int batches = sums.batches();
        Map<String, INDArray> means = new LinkedHashMap<>();
        Map<String, INDArray> variances = new LinkedHashMap<>();
        for (NormalizationLayers.Entry entry : layers) {
            INDArray mean = Nd4j.createFromArray(sums.sumOfMeans(entry.name)).divi(batches);
            INDArray variance = Nd4j.createFromArray(sums.sumOfVariances(entry.name)).divi(batches);
            entry.setStatistics(mean, variance);
            if (entry.isBn4j() && entry.bn4jConf().getAveraging() == PopulationAveraging.CUMULATIVE) {
                entry.layer.getParam(BatchNorm.COUNT).assign(batches);
            }
            means.put(entry.name, mean);
            variances.put(entry.name, variance);
        }
        return new PopulationEstimate(batches, means, variances);
    }

    /** Adds the per-feature mean and unbiased variance, in double, of one layer's input after a forward pass. */
    private static void addBatch(NormalizationLayers.Entry entry, PopulationSums sums) {
        Layer layer = entry.layer;
        INDArray input = layer.input();
        if (input == null) {
            throw new IllegalStateException(entry.describe() + ": no input after the forward pass; is the layer "
                    + "connected to the network's output?");
        }
        FeatureLayout layout = entry.layout(input.rank());
        long features = layout.features(input);
        long m = layout.valuesPerFeature(input);
        // NOTE: the layer's own moments pass (double sums, one read of the input), not ND4J's mean and var over
        // dimensions (0, 2, 3), which made Algorithm 2 about twice as slow (docs/inception.md, "Measured: the
        // default run")
        INDArray x = CpuKernels.supports(input) ? input : input.castTo(DataType.DOUBLE).dup('c');
        double[] mean;
        double[] variance;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray meanArray = Nd4j.create(DataType.DOUBLE, features);
            INDArray varianceArray = Nd4j.create(DataType.DOUBLE, features);
            MOMENTS.moments(x, layout, meanArray, varianceArray);
            mean = meanArray.toDoubleVector();
            variance = varianceArray.muli(PopulationUpdate.besselCorrection(m)).toDoubleVector();
        }
        sums.addBatchStatistics(entry.name, mean, variance);
    }
}
