package org.bn4j.benchmarks.endtoend;

import org.bn4j.BatchNorm;
import org.bn4j.inception.net.ConvolutionKind;
import org.bn4j.params.BatchNormParamInitializer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the example's default network ({@link DefaultNetwork}, DL4J convolutions + bn4j BN) for
 * {@code bn-benchmarks/pytorch_e2e.py}, which rebuilds it in PyTorch and compares outputs:
 * <ul>
 *   <li>{@code graph.json}: the ComputationGraphConfiguration JSON (the committed fixture
 *       {@code bn-benchmarks/src/test/resources/bn-inception-default.json} is this file; a test keeps them equal);</li>
 *   <li>{@code params.bin} + {@code params.json}: every parameter array as little-endian float32 in C order, with
 *       vertex, key, shape and offset, in the graph's topological order; BN population statistics, γ and β are set
 *       to random values first, so that inference exercises them;</li>
 *   <li>{@code input.bin}: a [64, 1, 28, 28] batch; {@code output-inference.bin} and {@code output-training.bin}: the
 *       network's softmax output in inference mode (population statistics) and in training mode (batch
 *       statistics).</li>
 * </ul>
 * Usage: {@code java -cp bn-benchmarks/target/benchmarks.jar org.bn4j.benchmarks.endtoend.ExportDefaultNetwork DIR
 * [SIZE CHANNELS WIDTH BATCH]} (the same builder at another image size, e.g. {@code 112 3 0.5 32}; the input's shape
 * is written to {@code input-shape.json}).
 */
public final class ExportDefaultNetwork {

    private ExportDefaultNetwork() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1 && args.length != 5) {
            System.err.println("usage: ExportDefaultNetwork OUTPUT_DIR [SIZE CHANNELS WIDTH BATCH]");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        int size = args.length > 1 ? Integer.parseInt(args[1]) : DefaultNetwork.SIZE;
        int channels = args.length > 1 ? Integer.parseInt(args[2]) : DefaultNetwork.CHANNELS;
        double width = args.length > 1 ? Double.parseDouble(args[3]) : DefaultNetwork.WIDTH;
        int batch = args.length > 1 ? Integer.parseInt(args[4]) : DefaultNetwork.BATCH;
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        Nd4j.getRandom().setSeed(2015);
        ComputationGraphConfiguration conf = args.length > 1
                ? DefaultNetwork.builder(ConvolutionKind.DL4J, size, channels, width).buildConfiguration()
                : DefaultNetwork.configuration(DefaultNetwork.Variant.DL4J_CONV_BN4J);
        Files.writeString(dir.resolve("graph.json"), conf.toJson());
        ComputationGraph network = new ComputationGraph(conf);
        network.init();
        randomizeBatchNorm(network);
        writeParams(network, dir);
        INDArray input = Nd4j.rand(DataType.FLOAT, batch, channels, size, size);
        write(dir.resolve("input.bin"), input);
        Files.writeString(dir.resolve("input-shape.json"), "[" + batch + ", " + channels + ", " + size + ", " + size
                + "]\n");
        write(dir.resolve("output-inference.bin"), network.outputSingle(false, input));
        write(dir.resolve("output-training.bin"), network.outputSingle(true, input));
        System.out.printf("wrote %s: %d parameters%n", dir, network.numParams());
    }

    /** γ ~ U(0.5, 1.5), β ~ N(0, 0.2), mean ~ N(0, 0.2), var ~ U(0.5, 1.5) in every bn4j layer. */
    private static void randomizeBatchNorm(ComputationGraph network) {
        for (Layer layer : network.getLayers()) {
            if (!(layer.conf().getLayer() instanceof BatchNorm)) {
                continue;
            }
            Map<String, INDArray> params = layer.paramTable();
            params.get(BatchNormParamInitializer.GAMMA).assign(Nd4j.rand(DataType.FLOAT,
                    params.get(BatchNormParamInitializer.GAMMA).shape()).addi(0.5));
            params.get(BatchNormParamInitializer.BETA).assign(Nd4j.randn(DataType.FLOAT,
                    params.get(BatchNormParamInitializer.BETA).shape()).muli(0.2));
            params.get(BatchNormParamInitializer.MEAN).assign(Nd4j.randn(DataType.FLOAT,
                    params.get(BatchNormParamInitializer.MEAN).shape()).muli(0.2));
            params.get(BatchNormParamInitializer.VAR).assign(Nd4j.rand(DataType.FLOAT,
                    params.get(BatchNormParamInitializer.VAR).shape()).addi(0.5));
        }
    }

    private static void writeParams(ComputationGraph network, Path dir) throws IOException {
        List<String> index = new ArrayList<>();
        long offset = 0;
        try (OutputStream out = Files.newOutputStream(dir.resolve("params.bin"))) {
            for (int i : network.topologicalSortOrder()) {
                GraphVertex vertex = network.getVertices()[i];
                if (!vertex.hasLayer()) {
                    continue;
                }
                for (Map.Entry<String, INDArray> param : vertex.getLayer().paramTable().entrySet()) {
                    INDArray value = param.getValue();
                    out.write(bytes(value));
                    index.add(String.format("{\"vertex\": \"%s\", \"key\": \"%s\", \"shape\": %s, \"offset\": %d}",
                            vertex.getVertexName(), param.getKey(), java.util.Arrays.toString(value.shape()), offset));
                    offset += value.length();
                }
            }
        }
        try (Writer out = Files.newBufferedWriter(dir.resolve("params.json"), StandardCharsets.UTF_8)) {
            out.write("{\"numParams\": " + network.numParams() + ", \"params\": [\n  "
                    + String.join(",\n  ", index) + "\n]}\n");
        }
    }

    private static void write(Path file, INDArray array) throws IOException {
        Files.write(file, bytes(array));
    }

    private static byte[] bytes(INDArray array) {
        float[] values = array.dup('c').castTo(DataType.FLOAT).data().asFloat();
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }
}
