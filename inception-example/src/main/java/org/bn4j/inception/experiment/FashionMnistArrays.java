package org.bn4j.inception.experiment;

import org.bn4j.inception.data.FashionMnistFolders;
import org.bn4j.inception.data.IdxImages;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Fashion-MNIST (Xiao et al. 2017) as in-memory arrays for the MLP of Ioffe &amp; Szegedy 2015, §4.1: features
 * {@code [n, 784]} with grey values scaled to [0, 1], one-hot labels {@code [n, 10]}. Read with
 * {@link IdxImages} from Debian's {@code dataset-fashion-mnist} files when present, otherwise from the sample
 * bundled in the jar.
 *
 * @param train  training examples
 * @param test   test examples
 * @param source where the files came from, for reports
 */
public record FashionMnistArrays(DataSet train, DataSet test, String source) {

    private static final int CLASSES = 10;

    /**
     * Loads the Debian copy in {@code debianDir} if it has the training images, else the bundled sample; at most
     * {@code trainLimit} / {@code testLimit} examples (the first ones) of each split.
     */
    public static FashionMnistArrays load(Path debianDir, int trainLimit, int testLimit) throws IOException {
        boolean debian = FashionMnistFolders.hasDebianCopy(debianDir);
        FashionMnistFolders.IdxSource files = FashionMnistFolders.files(debianDir);
        DataSet train = arrays(files.read("train"), trainLimit);
        DataSet test = arrays(files.read("t10k"), testLimit);
        String source = (debian ? "Fashion-MNIST from " + debianDir : "Fashion-MNIST sample bundled with bn4j")
                + ": " + train.numExamples() + " train / " + test.numExamples() + " test examples";
        return new FashionMnistArrays(train, test, source);
    }

    private static DataSet arrays(FashionMnistFolders.Split split, int limit) {
        IdxImages images = split.images();
        byte[] labels = split.labels();
        int n = Math.min(limit, images.count());
        int size = images.rows() * images.cols();
        float[] pixels = new float[n * size];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (images.pixels()[i] & 0xff) / 255f;
        }
        INDArray features = Nd4j.create(pixels, new long[]{n, size}, 'c');
        INDArray oneHot = Nd4j.zeros(DataType.FLOAT, n, CLASSES);
        for (int i = 0; i < n; i++) {
            oneHot.putScalar(i, labels[i] & 0xff, 1f);
        }
        return new DataSet(features, oneHot);
    }
}
