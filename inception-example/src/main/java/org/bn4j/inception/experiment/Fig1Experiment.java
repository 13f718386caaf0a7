package org.bn4j.inception.experiment;

import org.bn4j.statistics.PopulationStatistics;
import org.bn4j.inception.monitor.DistributionMonitor;
import org.bn4j.inception.monitor.MonitorTarget;
import org.bn4j.inception.monitor.PercentileRecord;
import org.bn4j.inception.monitor.Percentiles;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Experiment 1 of Ioffe &amp; Szegedy 2015, §4.1 / Figure 1: the {@link Fig1Network} MLP trained with and without
 * batch normalization on the same mini-batches, in lockstep (both networks take step {@code t} before either takes
 * step {@code t+1}, so a run cut short still compares like with like).
 *
 * <p>Files written to the output folder: {@code fig1-accuracy.csv} / {@code fig1a-accuracy.png} (test accuracy
 * against steps, both networks), {@code fig1-percentiles-{without,with}-bn.csv/.png} (15/50/85th percentiles of the
 * chosen last-hidden-layer sigmoid input and of every hidden layer's sigmoid input as a whole), {@code
 * fig1b-without-bn.png} and {@code fig1c-with-bn.png} (the chosen sigmoid's input alone, on a common y axis, as in the
 * paper), and the report {@code fig1-report.md}. The accuracy CSV and plot are rewritten at every evaluation, so
 * they can be watched during the run.
 */
public final class Fig1Experiment {

    /** Series name of the network without BN. */
    public static final String WITHOUT_BN = "without BN";
    /** Series name of the network with BN (moving-average population statistics). */
    public static final String WITH_BN = "with BN";
    /** Series name of the network with BN evaluated with the paper's Algorithm 2 statistics. */
    public static final String WITH_BN_ALGORITHM_2 = "with BN (Algorithm 2 statistics)";

    private static final Logger LOG = LoggerFactory.getLogger(Fig1Experiment.class);

    private Fig1Experiment() {
    }

    /** Runs the experiment on {@code data} and writes its files and report into {@code outDir}. */
    public static Fig1Result run(Fig1Settings settings, FashionMnistArrays data, Path outDir, String command)
            throws IOException {
        Files.createDirectories(outDir);
        long start = System.nanoTime();
        INDArray probe = firstRows(data.test(), settings.monitorExamples());
        MonitorTarget figureTarget = new MonitorTarget(Fig1Network.LAST_SIGMOID, settings.unit());
        List<MonitorTarget> targets = new ArrayList<>(List.of(figureTarget));
        for (int i = 1; i <= Fig1Network.DEPTH; i++) {
            targets.add(MonitorTarget.layer("sigmoid" + i));
        }
        MultiLayerNetwork[] nets = {
                Fig1Network.build(false, settings.initStd(), settings.learningRate(), settings.seed()),
                Fig1Network.build(true, settings.initStd(), settings.learningRate(), settings.seed())};
        String[] names = {WITHOUT_BN, WITH_BN};
        String[] slugs = {"without-bn", "with-bn"};
        DistributionMonitor[] monitors = new DistributionMonitor[2];
        Curve[] curves = new Curve[2];
        long[] fitNanos = new long[2];
        for (int a = 0; a < 2; a++) {
            monitors[a] = DistributionMonitor.builder(nets[a], probe).targets(targets)
                    .every(settings.monitorEvery()).renderEvery(20).outputDir(outDir)
                    .name("fig1-percentiles-" + slugs[a]).title(names[a]).build();
            monitors[a].record(0);
            nets[a].setListeners(monitors[a]);
            curves[a] = new Curve(names[a], List.of()).plus(0, Accuracy.of(nets[a], data.test()));
        }
        Curve algorithm2 = new Curve(WITH_BN_ALGORITHM_2, List.of())
                .plus(0, accuracyWithAlgorithm2(nets[1], data, settings));
        MiniBatches batches = new MiniBatches(data.train(), settings.batchSize(), settings.seed());
        for (long step = 1; step <= settings.steps(); step++) {
            DataSet batch = batches.next();
            for (int a = 0; a < 2; a++) {
                long t = System.nanoTime();
                nets[a].fit(batch);
                fitNanos[a] += System.nanoTime() - t;
            }
            if (step % settings.evalEvery() == 0 || step == settings.steps()) {
                for (int a = 0; a < 2; a++) {
                    curves[a] = curves[a].plus(step, Accuracy.of(nets[a], data.test()));
                }
                algorithm2 = algorithm2.plus(step, accuracyWithAlgorithm2(nets[1], data, settings));
                writeAccuracy(List.of(curves[0], curves[1], algorithm2), data.test().numExamples(), outDir);
                LOG.info("step {}/{}: test accuracy without BN {}, with BN {} ({} / {} ms/step)", step,
                        settings.steps(), fmt(curves[0].last()), fmt(curves[1].last()),
                        fmt(fitNanos[0] / 1e6 / step), fmt(fitNanos[1] / 1e6 / step));
            }
        }
        for (DistributionMonitor monitor : monitors) {
            monitor.close();
        }
        List<PercentileRecord> without = monitors[0].records();
        List<PercentileRecord> with = monitors[1].records();
        renderFigure1bc(without, with, figureTarget.label(), outDir);
        List<Path> files = List.of(Path.of("fig1-accuracy.csv"), Path.of("fig1a-accuracy.png"),
                Path.of("fig1b-without-bn.png"), Path.of("fig1c-with-bn.png"),
                monitors[0].csvFile().getFileName(), monitors[0].pngFile().getFileName(),
                monitors[1].csvFile().getFileName(), monitors[1].pngFile().getFileName(),
                Path.of(Fig1Report.FILE));
        Fig1Result result = new Fig1Result(settings, data.source(), curves[0], curves[1], algorithm2, without, with,
                figureTarget.label(), fitNanos[0] / 1e6 / settings.steps(), fitNanos[1] / 1e6 / settings.steps(),
                (System.nanoTime() - start) / 1e9, files);
        Fig1Report.write(result, outDir.resolve(Fig1Report.FILE), command);
        return result;
    }

    /**
     * Test accuracy of {@code bnNetwork} with the paper's inference statistics: Algorithm 2 over
     * {@code populationBatches} training mini-batches, on a copy (the training network keeps its moving averages).
     * The batches are the first ones of a fixed shuffle, the same at every evaluation.
     */
    private static double accuracyWithAlgorithm2(MultiLayerNetwork bnNetwork, FashionMnistArrays data,
                                                 Fig1Settings settings) {
        MultiLayerNetwork copy = bnNetwork.clone();
        MiniBatches batches = new MiniBatches(data.train(), settings.batchSize(), settings.seed() + 1);
        List<DataSet> list = new ArrayList<>();
        for (int i = 0; i < settings.populationBatches(); i++) {
            list.add(batches.next());
        }
        PopulationStatistics.estimate(copy, new ExistingDataSetIterator(list),
                settings.populationBatches());
        return Accuracy.of(copy, data.test());
    }

    private static void writeAccuracy(List<Curve> curves, int testExamples, Path outDir) throws IOException {
        Curve.writeCsv(outDir.resolve("fig1-accuracy.csv"), curves, "network", "test_accuracy");
        renderAccuracy(curves, testExamples, outDir);
    }

    /** Figure 1(a), {@code fig1a-accuracy.png}, from the curves (also from a saved {@code fig1-accuracy.csv}). */
    public static void renderAccuracy(List<Curve> curves, int testExamples, Path outDir) throws IOException {
        Curve.plot(curves, "Figure 1(a): MLP on Fashion-MNIST, test accuracy", "test accuracy",
                1.0 / Fig1Network.CLASSES, testExamples, outDir.resolve("fig1a-accuracy.png"));
    }

    /** Figure 1(b) and (c): the chosen sigmoid input alone, both panels on the same y axis. */
    public static void renderFigure1bc(List<PercentileRecord> without, List<PercentileRecord> with, String target,
                                        Path outDir) throws IOException {
        List<PercentileRecord> a = without.stream().filter(r -> r.target().equals(target)).toList();
        List<PercentileRecord> b = with.stream().filter(r -> r.target().equals(target)).toList();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (PercentileRecord r : concat(a, b)) {
            lo = Math.min(lo, r.values()[0]);
            hi = Math.max(hi, r.values()[r.values().length - 1]);
        }
        double pad = 0.05 * Math.max(hi - lo, 1e-6);
        PercentileRecord.plot(a, Percentiles.PAPER, "Figure 1(b): one last-layer sigmoid input, without BN",
                outDir.resolve("fig1b-without-bn.png"), lo - pad, hi + pad);
        PercentileRecord.plot(b, Percentiles.PAPER, "Figure 1(c): the same sigmoid input, with BN",
                outDir.resolve("fig1c-with-bn.png"), lo - pad, hi + pad);
    }

    private static List<PercentileRecord> concat(List<PercentileRecord> a, List<PercentileRecord> b) {
        List<PercentileRecord> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static INDArray firstRows(DataSet data, int n) {
        int rows = Math.min(n, data.numExamples());
        return data.getFeatures().get(NDArrayIndex.interval(0, rows), NDArrayIndex.all()).dup();
    }

    static String fmt(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }
}
