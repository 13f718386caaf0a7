package org.bn4j.conv;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conversion between DL4J's ConvolutionLayer and FastConvolution: configurations (MultiLayer and graph) round-trip
 * to identical JSON, DL4J's convolution subclasses are left alone, initialized networks keep parameters, updater
 * state and outputs, training continues identically, and a converted-back network loads and runs in a JVM without
 * bn-conv on its class path.
 */
class ConversionTest {

    private static final long[] INPUT_SHAPE = {4, 2, 10, 10};

    static MultiLayerConfiguration dl4jConf() {
        return new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(3).updater(new Nesterovs(0.05, 0.9)).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).name("c1").build())
                .layer(new SubsamplingLayer.Builder(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(5).hasBias(false)
                        .activation(Activation.TANH).name("c2").build())
                .layer(new Deconvolution2D.Builder(2, 2).nOut(3).activation(Activation.RELU).build())
                .layer(new DepthwiseConvolution2D.Builder(2, 2).depthMultiplier(2).activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(10, 10, 2)).build();
    }

    static ComputationGraphConfiguration dl4jGraphConf() {
        return new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(3).updater(new Nesterovs(0.05, 0.9))
                .graphBuilder().addInputs("in")
                .addLayer("a", new ConvolutionLayer.Builder(1, 1).nOut(4).activation(Activation.RELU).build(), "in")
                .addLayer("b", new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build(), "in")
                .addVertex("m", new MergeVertex(), "a", "b")
                .addLayer("d", new DenseLayer.Builder().nOut(5).activation(Activation.RELU).build(), "m")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "d")
                .setOutputs("out").setInputTypes(InputType.convolutional(10, 10, 2)).build();
    }

    static DataSet data(long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(DataType.FLOAT, INPUT_SHAPE);
        INDArray y = Nd4j.zeros(DataType.FLOAT, INPUT_SHAPE[0], 3);
        for (int i = 0; i < INPUT_SHAPE[0]; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        return new DataSet(x, y);
    }

    @Test
    void multiLayerConfigurationConvertsExactlyTheConvolutionLayersAndBack() {
        MultiLayerConfiguration dl4j = dl4jConf();
        MultiLayerConfiguration fast = ConvolutionConversion.toFastConvolution(dl4j);
        assertInstanceOf(FastConvolution.class, fast.getConf(0).getLayer());
        assertInstanceOf(FastConvolution.class, fast.getConf(2).getLayer());
        assertSame(Deconvolution2D.class, fast.getConf(3).getLayer().getClass());
        assertSame(DepthwiseConvolution2D.class, fast.getConf(4).getLayer().getClass());
        assertSame(ConvolutionLayer.class, dl4j.getConf(0).getLayer().getClass(), "the input is not modified");
        assertTrue(fast.toJson().contains(FastConvolution.class.getName()));
        assertEquals(fast.toJson(), MultiLayerConfiguration.fromJson(fast.toJson()).toJson(), "JSON round trip");
        MultiLayerConfiguration back = ConvolutionConversion.toDl4jConvolution(fast);
        assertEquals(dl4j.toJson(), back.toJson());
    }

    @Test
    void graphConfigurationConvertsAndBack() {
        ComputationGraphConfiguration dl4j = dl4jGraphConf();
        ComputationGraphConfiguration fast = ConvolutionConversion.toFastConvolution(dl4j);
        assertTrue(fast.toJson().contains(FastConvolution.class.getName()));
        assertEquals(fast.toJson(), ComputationGraphConfiguration.fromJson(fast.toJson()).toJson());
        assertEquals(dl4j.toJson(), ConvolutionConversion.toDl4jConvolution(fast).toJson());
    }

    @Test
    void trainedMultiLayerNetworkKeepsParametersUpdaterStateAndOutputs() {
        MultiLayerNetwork dl4j = new MultiLayerNetwork(dl4jConf());
        dl4j.init();
        dl4j.fit(data(1));
        dl4j.fit(data(2));
        MultiLayerNetwork fast = ConvolutionConversion.toFastConvolution(dl4j);
        assertInstanceOf(org.bn4j.conv.layer.FastConvolutionLayer.class, fast.getLayer(0));
        assertEquals(dl4j.params(), fast.params());
        assertEquals(dl4j.getUpdater().getStateViewArray(), fast.getUpdater().getStateViewArray());
        INDArray x = data(5).getFeatures();
        assertClose(dl4j.output(x), fast.output(x), 1e-5);

        dl4j.fit(data(3));
        fast.fit(data(3));
        assertClose(dl4j.params(), fast.params(), 1e-4);

        MultiLayerNetwork back = ConvolutionConversion.toDl4jConvolution(fast);
        assertSame(org.deeplearning4j.nn.layers.convolution.ConvolutionLayer.class, back.getLayer(0).getClass());
        assertEquals(fast.params(), back.params());
        assertEquals(fast.getUpdater().getStateViewArray(), back.getUpdater().getStateViewArray());
        assertClose(fast.output(x), back.output(x), 1e-5);
    }

    @Test
    void trainedGraphKeepsParametersUpdaterStateAndOutputs() {
        ComputationGraph dl4j = new ComputationGraph(dl4jGraphConf());
        dl4j.init();
        dl4j.fit(data(1));
        ComputationGraph fast = ConvolutionConversion.toFastConvolution(dl4j);
        assertInstanceOf(org.bn4j.conv.layer.FastConvolutionLayer.class, fast.getLayer("b"));
        assertEquals(dl4j.params(), fast.params());
        assertEquals(dl4j.getUpdater().getStateViewArray(), fast.getUpdater().getStateViewArray());
        INDArray x = data(5).getFeatures();
        assertClose(dl4j.outputSingle(x), fast.outputSingle(x), 1e-5);
        dl4j.fit(data(3));
        fast.fit(data(3));
        assertClose(dl4j.params(), fast.params(), 1e-4);
        ComputationGraph back = ConvolutionConversion.toDl4jConvolution(fast);
        assertEquals(fast.params(), back.params());
        assertClose(fast.outputSingle(x), back.outputSingle(x), 1e-5);
    }

    @Test
    void convertedBackNetworkLoadsAndRunsWithoutBnConvOnTheClassPath(@TempDir Path dir) throws Exception {
        MultiLayerNetwork fast = new MultiLayerNetwork(ConvolutionConversion.toFastConvolution(dl4jConf()));
        fast.init();
        fast.fit(data(1));
        MultiLayerNetwork back = ConvolutionConversion.toDl4jConvolution(fast);
        File model = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(back, model, true);
        assertFalse(back.getLayerWiseConfigurations().toJson().contains("org.bn4j"));

        long n = INPUT_SHAPE[0] * INPUT_SHAPE[1] * INPUT_SHAPE[2] * INPUT_SHAPE[3];
        INDArray x = Nd4j.linspace(DataType.FLOAT, -1.0, 2.0 / n, n).reshape(INPUT_SHAPE);
        double[] expected = fast.output(x).ravel().toDoubleVector();

        List<String> printed = runPlainDl4j(dir, model, INPUT_SHAPE);
        assertEquals(expected.length, printed.size(), "values printed by the plain-DL4J JVM: " + printed);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], Double.parseDouble(printed.get(i)), 1e-5, "output " + i);
        }
    }

    /**
     * Runs PlainDl4jLoader in a new JVM whose class path is this one minus bn-conv, bn-layer (main and test classes)
     * and the oneDNN build, on the input of {@code shape}; returns the printed output values.
     */
    static List<String> runPlainDl4j(Path dir, File model, long[] shape) throws IOException, InterruptedException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String plain = Stream.of(classPath.split(File.pathSeparator))
                .filter(e -> !e.contains("bn-conv") && !e.contains("bn-layer") && !e.contains("onednn"))
                .collect(Collectors.joining(File.pathSeparator));
        assertFalse(plain.contains("/org/bn4j/"), "no bn4j artifact on the plain class path: " + plain);
        assertTrue(plain.contains("deeplearning4j-nn"), "DL4J stays on the class path");
        Path source = dir.resolve("PlainDl4jLoader.java");
        try (var in = ConversionTest.class.getResourceAsStream("/plain-dl4j/PlainDl4jLoader.java")) {
            Files.copy(in, source);
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", plain, source.toString(),
                model.getAbsolutePath()));
        for (long s : shape) {
            command.add(Long.toString(s));
        }
        Path stdout = dir.resolve("stdout.txt");
        Path stderr = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "plain-DL4J JVM timed out");
        assertEquals(0, p.exitValue(), "plain-DL4J JVM failed: "
                + Files.readString(stderr, StandardCharsets.UTF_8));
        return Files.readAllLines(stdout, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank())
                .collect(Collectors.toList());
    }

    static void assertClose(INDArray expected, INDArray actual, double tolerance) {
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= tolerance, "max |difference| " + diff + " > " + tolerance);
    }
}
