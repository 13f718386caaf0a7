package org.bn4j.inception.monitor;

import org.bn4j.BatchNorm;
import org.bn4j.inception.cli.MonitorOption;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistributionMonitorTest {

    private static final int FEATURES = 6;

    @TempDir
    Path dir;

    /** dense(identity) "pre" → BN "bn" → sigmoid "sigmoid" → softmax output: the sigmoid's input is BN's output. */
    private static MultiLayerNetwork mlp() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(1).dataType(DataType.FLOAT).updater(new Sgd(0.1))
                .list()
                .layer(new DenseLayer.Builder().name("pre").nOut(5).activation(Activation.IDENTITY).build())
                .layer(new BatchNorm.Builder().name("bn").build())
                .layer(new ActivationLayer.Builder().name("sigmoid").activation(Activation.SIGMOID).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(FEATURES))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static ListDataSetIterator<DataSet> data(int batches, int batchSize) {
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, batches * batchSize, FEATURES);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batches * batchSize, 3);
        for (int i = 0; i < batches * batchSize; i++) {
            y.putScalar(i, i % 3, 1);
        }
        return new ListDataSetIterator<>(new DataSet(x, y).asList(), batchSize);
    }

    @Test
    void recordsEveryKIterationsToCsvAndPngForAMultiLayerNetwork() throws Exception {
        MultiLayerNetwork net = mlp();
        INDArray probe = Nd4j.rand(DataType.FLOAT, 32, FEATURES);
        DistributionMonitor monitor = DistributionMonitor.builder(net, probe)
                .targets(MonitorTarget.parseList("sigmoid,sigmoid:2,0"))
                .every(3).renderEvery(2).outputDir(dir).name("mon").title("test")
                .build();
        monitor.record(0);
        net.setListeners(monitor);
        net.fit(data(9, 8)); // 9 iterations: readings after steps 3, 6 and 9
        monitor.close();

        List<PercentileRecord> records = PercentileRecord.readCsv(dir.resolve("mon.csv"));
        assertEquals(4 * 3, records.size());
        assertEquals(List.of(0L, 3L, 6L, 9L), records.stream().map(PercentileRecord::step).distinct().toList());
        assertEquals(List.of("sigmoid", "sigmoid:2", "0"),
                records.stream().map(PercentileRecord::target).distinct().toList());
        assertEquals("step,target,p15,p50,p85", Files.readAllLines(dir.resolve("mon.csv")).get(0));

        // layer 0's input is the probe itself, which training does not change
        double[] expected = Percentiles.of(probe.dup().data().asFloat(), Percentiles.PAPER);
        records.stream().filter(r -> r.target().equals("0"))
                .forEach(r -> assertArrayEquals(expected, r.values(), 1e-4 * (1 + Math.abs(expected[2]))));

        // the sigmoid's input at the end is BN's output for the probe, in inference mode (stop before the sigmoid:
        // DL4J's ActivationLayer works in place at inference)
        INDArray bnOut = net.feedForwardToLayer(1, probe, false).get(2);
        double[] lastUnit2 = records.get(records.size() - 2).values();
        assertArrayEquals(Percentiles.of(bnOut.getColumn(2).dup().data().asFloat(), Percentiles.PAPER), lastUnit2,
                1e-4);
        for (PercentileRecord r : records) {
            assertTrue(r.values()[0] <= r.values()[1] && r.values()[1] <= r.values()[2], "ordered percentiles");
        }

        BufferedImage png = ImageIO.read(dir.resolve("mon.png").toFile());
        assertNotNull(png, "a readable PNG");
        assertTrue(png.getWidth() >= 640 * 2 && png.getHeight() >= 420 * 2, "two columns, two rows of panels");
    }

    @Test
    void aPreActivationIsReadBeforeTheInPlaceActivationLayerOverwritesIt() throws Exception {
        MultiLayerNetwork net = mlp();
        INDArray probe = Nd4j.rand(DataType.FLOAT, 20, FEATURES);
        DistributionMonitor monitor = DistributionMonitor.builder(net, probe)
                .targets(MonitorTarget.parseList("sigmoid:1,out:1")).outputDir(dir).build();
        monitor.record(0);
        monitor.close();
        INDArray bnOut = net.feedForwardToLayer(1, probe, false).get(2).getColumn(1).dup();
        INDArray sigmoidOut = org.nd4j.linalg.ops.transforms.Transforms.sigmoid(bnOut, true);
        assertArrayEquals(pct(bnOut), monitor.records().get(0).values(), 1e-5);
        assertArrayEquals(pct(sigmoidOut), monitor.records().get(1).values(), 1e-5);
    }

    @Test
    void unknownLayersAreNamedWithTheLayersThatExist() {
        MultiLayerNetwork net = mlp();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DistributionMonitor.builder(net, Nd4j.rand(4, FEATURES))
                        .targets(List.of(MonitorTarget.layer("nope"))).outputDir(dir).build());
        assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("2=sigmoid"), e.getMessage());
    }

    @Test
    void readsVertexInputsOfAComputationGraphIncludingMergedOnes() throws Exception {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.FLOAT).updater(new Sgd(0.1))
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.feedForward(FEATURES))
                .addLayer("a", new DenseLayer.Builder().nOut(2).activation(Activation.IDENTITY).build(), "in")
                .addLayer("b", new DenseLayer.Builder().nOut(3).activation(Activation.TANH).build(), "in")
                .addVertex("merge", new MergeVertex(), "a", "b")
                .addLayer("sig", new ActivationLayer.Builder().activation(Activation.SIGMOID).build(), "merge")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "sig")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        INDArray probe = Nd4j.rand(DataType.FLOAT, 16, FEATURES);
        DistributionMonitor monitor = DistributionMonitor.builder(graph, probe)
                .targets(MonitorTarget.parseList("merge:1,sig:3,a"))
                .every(2).outputDir(dir)
                .build();
        graph.setListeners(monitor);
        graph.fit(data(4, 8));
        monitor.close();

        Map<String, INDArray> acts = graph.feedForward(probe, false);
        Map<String, double[]> last = monitor.records().stream().filter(r -> r.step() == 4)
                .collect(Collectors.toMap(PercentileRecord::target, PercentileRecord::values));
        assertEquals(3, last.size());
        // merge:1 is unit 1 of "a"; sig:3 is merged unit 3 = unit 1 of "b"; "a"'s input is the probe
        assertArrayEquals(pct(acts.get("a").getColumn(1)), last.get("merge:1"), 1e-4);
        assertArrayEquals(pct(acts.get("b").getColumn(1)), last.get("sig:3"), 1e-4);
        assertArrayEquals(pct(probe), last.get("a"), 1e-4);
        assertTrue(Files.size(monitor.pngFile()) > 0);
        assertThrows(IllegalArgumentException.class, () -> DistributionMonitor.builder(graph, probe)
                .targets(List.of(MonitorTarget.layer("missing"))).outputDir(dir).build());
    }

    @Test
    void theMonitorOptionAttachesAMonitorThatRecordsTheStartingPoint() throws Exception {
        MultiLayerNetwork net = mlp();
        MonitorOption option = new MonitorOption();
        new picocli.CommandLine(option).parseArgs("--monitor", "sigmoid:0,pre", "--monitor-every", "5",
                "--monitor-examples", "12");
        assertTrue(option.enabled());
        INDArray probe = MonitorOption.firstExamples(data(3, 8), option.examples());
        assertEquals(12, probe.size(0));
        DistributionMonitor monitor = option.listener(data(3, 8), dir).orElseThrow();
        net.addListeners(monitor);
        net.fit(data(10, 8));                 // the first epoch start records the starting point
        monitor.close();
        assertEquals(List.of(0L, 5L, 10L), monitor.records().stream().map(PercentileRecord::step).distinct().toList());
        assertTrue(Files.exists(dir.resolve("monitor.csv")) && Files.exists(dir.resolve("monitor.png")));

        MonitorOption off = new MonitorOption();
        new picocli.CommandLine(off).parseArgs();
        assertTrue(off.listener(data(3, 8), dir.resolve("off")).isEmpty());
        assertTrue(Files.notExists(dir.resolve("off")));
    }

    @Test
    void anUnboundListenerBindsToTheGraphThatCallsItAndRecordsFromTheFirstEpochStart() throws Exception {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(5).dataType(DataType.FLOAT).updater(new Sgd(0.1))
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.feedForward(FEATURES))
                .addLayer("pre", new DenseLayer.Builder().nOut(4).activation(Activation.IDENTITY).build(), "in")
                .addLayer("bn", new BatchNorm.Builder().activation(Activation.SIGMOID).build(), "pre")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "bn")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        try (MonitorOption option = new MonitorOption()) {
            new picocli.CommandLine(option).parseArgs("--monitor", "bn:1,out", "--monitor-every", "2",
                    "--monitor-examples", "10");
            DistributionMonitor monitor = option.listener(data(2, 8), dir).orElseThrow();
            graph.addListeners(monitor);
            graph.fit(data(4, 8)); // one epoch: onEpochStart, then 4 iterations
            assertEquals(List.of(0L, 2L, 4L), monitor.records().stream().map(PercentileRecord::step).distinct()
                    .toList());
            assertThrows(IllegalStateException.class, () -> monitor.iterationDone(mlp(), 5, 0),
                    "one monitor per network");
        }
        assertNotNull(ImageIO.read(dir.resolve("monitor.png").toFile()), "closing the option draws the plot");
    }

    @Test
    void readsConvolutionChannelsInsideBnInception() throws Exception {
        ComputationGraph graph = new org.bn4j.inception.net.BnInceptionBuilder().input(28, 28, 1).numClasses(10)
                .widthMultiplier(0.0625).build();
        INDArray probe = Nd4j.rand(DataType.FLOAT, 4, 1, 28, 28);
        DistributionMonitor monitor = DistributionMonitor.builder(graph, probe)
                .targets(MonitorTarget.parseList("3a/3x3/bn:1,3b/1x1")).outputDir(dir).build();
        monitor.record(0);
        monitor.close();
        Map<String, INDArray> acts = graph.feedForward(probe, false);
        INDArray conv = acts.get("3a/3x3"); // BN's input: the convolution output, NCHW
        assertArrayEquals(pct(conv.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.point(1))), monitor.records().get(0).values(), 1e-5);
        assertArrayEquals(pct(acts.get("3a")), monitor.records().get(1).values(), 1e-5);
    }

    private static double[] pct(INDArray values) {
        return Percentiles.of(values.dup().data().asFloat(), Percentiles.PAPER);
    }
}
