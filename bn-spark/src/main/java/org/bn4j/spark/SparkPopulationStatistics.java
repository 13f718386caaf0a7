package org.bn4j.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.bn4j.statistics.PopulationEstimate;
import org.bn4j.statistics.PopulationStatistics;
import org.bn4j.statistics.PopulationSums;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The paper's Algorithm 2 (Ioffe &amp; Szegedy, ICML 2015, §3.1) on Spark: the population statistics of every
 * batch-normalization layer of a trained network (bn4j's {@code BatchNorm} and DL4J's built-in
 * {@code BatchNormalization}), computed on the executors from an RDD of training mini-batches and written into the
 * network on the driver. Per layer and feature, over the mini-batches B used (m_B values per feature each):
 * <pre>
 *   E[x]   = (1/n) Σ_B μ_B
 *   Var[x] = (1/n) Σ_B m_B/(m_B−1) · σ²_B
 * </pre>
 * exactly as the single-machine {@link PopulationStatistics#estimate} computes it over the same mini-batches in the
 * same order (equal to ~1e-16 in double; only the order of the additions differs).
 *
 * <p>How: the network's configuration (JSON) and parameters are broadcast; every partition rebuilds the network,
 * runs its mini-batches forward with the whole network in training mode and sums, in double, each layer's batch
 * means and unbiased batch variances ({@link PopulationStatistics#accumulate}); the driver adds the partitions' sums
 * ({@link PopulationSums#merge}: sums of disjoint batches add exactly, no average of averages) and writes
 * E[x] and Var[x] with the paper's m/(m−1) correction ({@link PopulationStatistics#apply}). DL4J's built-in layer gets
 * its {@code var} or {@code log10stdev} parameter as the single-machine pass gives it.
 *
 * <p><b>Which mini-batches</b>: the first {@code maxBatches} mini-batches that count, in the RDD's order (partition 0
 * first), by the single-machine rule {@link PopulationStatistics#counts}: a mini-batch of a single example is skipped
 * only when some normalization layer would see one value per feature (a single image counts when every normalization
 * layer is convolutional). A first pass over the data counts each partition's mini-batches by that rule (a forward
 * pass only for single-example ones) and checks that all feature shapes agree, so the RDD is read twice:
 * {@code persist} it if computing it is costly, and it must give the same mini-batches each time it is computed
 * (Spark recomputes a failed task's partition). Masks and labels are not used.
 *
 * <pre>
 *   PopulationEstimate e = SparkPopulationStatistics.estimate(graph, trainRdd, 200);
 * </pre>
 */
public final class SparkPopulationStatistics {

    private static final Logger log = LoggerFactory.getLogger(SparkPopulationStatistics.class);

    private SparkPopulationStatistics() {
    }

    /** Algorithm 2 for a {@link MultiLayerNetwork} over up to {@code maxBatches} mini-batches of {@code data}. */
    public static PopulationEstimate estimate(MultiLayerNetwork net, JavaRDD<DataSet> data, int maxBatches) {
        PopulationSums empty = PopulationStatistics.accumulate(net, Collections.emptyIterator(), maxBatches);
        PopulationSums sums = run(requireData(data), NetworkCopy.of(net), empty, maxBatches,
                ds -> new INDArray[] {ds.getFeatures()}, copy -> {
                    MultiLayerNetwork rebuilt = copy.multiLayerNetwork();
                    return inputs -> PopulationStatistics.counts(rebuilt, inputs);
                },
                (copy, inputs, quota) -> PopulationStatistics.accumulate(copy.multiLayerNetwork(), inputs, quota));
        return PopulationStatistics.apply(net, sums);
    }

    /** Algorithm 2 for a {@link ComputationGraph} with one input, from an RDD of {@link DataSet}s. */
    public static PopulationEstimate estimate(ComputationGraph net, JavaRDD<DataSet> data, int maxBatches) {
        if (net.getNumInputArrays() != 1) {
            throw new IllegalArgumentException("the ComputationGraph has " + net.getNumInputArrays()
                    + " inputs: use estimateMulti with an RDD of MultiDataSets");
        }
        PopulationSums empty = PopulationStatistics.accumulate(net, Collections.emptyIterator(), maxBatches);
        PopulationSums sums = run(requireData(data), NetworkCopy.of(net), empty, maxBatches,
                ds -> new INDArray[] {ds.getFeatures()}, SparkPopulationStatistics::graphRule,
                (copy, inputs, quota) -> PopulationStatistics.accumulate(copy.computationGraph(), inputs, quota));
        return PopulationStatistics.apply(net, sums);
    }

    /** Algorithm 2 for a {@link ComputationGraph} from an RDD of {@link MultiDataSet}s (one array per graph input). */
    public static PopulationEstimate estimateMulti(ComputationGraph net, JavaRDD<MultiDataSet> data, int maxBatches) {
        PopulationSums empty = PopulationStatistics.accumulate(net, Collections.emptyIterator(), maxBatches);
        PopulationSums sums = run(requireData(data), NetworkCopy.of(net), empty, maxBatches, MultiDataSet::getFeatures,
                SparkPopulationStatistics::graphRule, (copy, inputs, quota) -> PopulationStatistics.accumulate(copy.computationGraph(), inputs, quota));
        return PopulationStatistics.apply(net, sums);
    }

    /** Sums of one partition's inputs by a network rebuilt from the copy. */
    @FunctionalInterface
    private interface PartitionSums extends java.io.Serializable {
        PopulationSums accumulate(NetworkCopy copy, Iterator<INDArray[]> inputs, int quota);
    }

    /**
     * Which mini-batches count, decided as on one machine ({@link PopulationStatistics#counts}) by a network rebuilt
     * from the copy.
     */
    @FunctionalInterface
    private interface CountingRule extends java.io.Serializable {
        Predicate<INDArray[]> of(NetworkCopy copy);
    }

    private static Predicate<INDArray[]> graphRule(NetworkCopy copy) {
        ComputationGraph rebuilt = copy.computationGraph();
        return inputs -> PopulationStatistics.counts(rebuilt, inputs);
    }

    /** A serializable view of a mini-batch as network inputs (one array per input). */
    private interface Inputs<T> extends Function<T, INDArray[]>, java.io.Serializable {
    }

    private static <T> JavaRDD<T> requireData(JavaRDD<T> data) {
        if (data == null) {
            throw new IllegalArgumentException("the RDD of mini-batches is null");
        }
        return data;
    }

    private static <T> PopulationSums run(JavaRDD<T> data, NetworkCopy copy, PopulationSums empty, int maxBatches,
                                          Inputs<T> inputs, CountingRule rule, PartitionSums partitionSums) {
        long start = System.nanoTime();
        List<String> layers = empty.layers();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(data.context());
        Broadcast<NetworkCopy> network = sc.broadcast(copy);
        try {
            int[] quotas = BatchQuotas.of(data.mapPartitionsWithIndex(scan(inputs, network, rule), true).collect(),
                    maxBatches);
            Function2<Integer, Iterator<T>, Iterator<PopulationSums>> sum = (partition, batches) -> {
                int quota = quotas[partition];
                if (quota == 0) {
                    return Collections.singletonList(new PopulationSums(layers)).iterator();
                }
                Iterator<INDArray[]> partitionInputs = new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return batches.hasNext();
                    }

                    @Override
                    public INDArray[] next() {
                        return inputs.apply(batches.next());
                    }
                };
                return Collections.singletonList(partitionSums.accumulate(network.value(), partitionInputs, quota))
                        .iterator();
            };
            PopulationSums total = empty;
            for (PopulationSums part : data.mapPartitionsWithIndex(sum, true).collect()) {
                total.merge(part);
            }
            log.info("Algorithm 2 on Spark: {} mini-batches from {} partitions in {} s", total.batches(),
                    quotas.length, String.format(java.util.Locale.ROOT, "%.2f", (System.nanoTime() - start) / 1e9));
            return total;
        } finally {
            network.destroy();
        }
    }

    /** The first pass; a partition rebuilds the network for the counting rule only when it has a mini-batch. */
    private static <T> Function2<Integer, Iterator<T>, Iterator<PartitionScan>> scan(
            Inputs<T> inputs, Broadcast<NetworkCopy> network, CountingRule rule) {
        return (partition, batches) -> {
            List<Predicate<INDArray[]>> counts = new ArrayList<>(1);
            return Collections.singletonList(PartitionScan.of(partition, batches,
                    batch -> shapes(inputs.apply(batch)), batch -> {
                        if (counts.isEmpty()) {
                            counts.add(rule.of(network.value()));
                        }
                        return counts.get(0).test(inputs.apply(batch));
                    })).iterator();
        };
    }

    private static String shapes(INDArray[] inputs) {
        StringJoiner joined = new StringJoiner(", ");
        for (INDArray array : inputs) {
            joined.add(PartitionScan.featureShape(array.shape()));
        }
        return joined.toString();
    }
}
