import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;

/**
 * Run by ConversionTest in a separate JVM whose class path holds DL4J but not bn-conv (nor the oneDNN build):
 * loads a saved MultiLayerNetwork and prints its output for a fixed input, one value per line.
 * Arguments: model file, then the input shape.
 */
public class PlainDl4jLoader {
    public static void main(String[] args) throws Exception {
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(new File(args[0]), false);
        long[] shape = new long[args.length - 1];
        for (int i = 1; i < args.length; i++) {
            shape[i - 1] = Long.parseLong(args[i]);
        }
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        INDArray x = Nd4j.linspace(DataType.FLOAT, -1.0, 2.0 / n, n).reshape(shape);
        INDArray y = net.output(x);
        StringBuilder out = new StringBuilder();
        for (double v : y.ravel().toDoubleVector()) {
            out.append(v).append('\n');
        }
        System.out.print(out);
    }
}
