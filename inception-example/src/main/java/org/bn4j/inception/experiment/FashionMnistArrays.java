package org.bn4j.inception.experiment;

import org.bn4j.inception.data.IdxImages;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
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

    /** Where Debian's dataset-fashion-mnist package installs the IDX files. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    private static final String SAMPLE_RESOURCE = "/org/bn4j/inception/fashion-mnist-sample/";
    private static final int CLASSES = 10;

    /**
     * Loads the Debian copy in {@code debianDir} if it has the training images, else the bundled sample; at most
     * {@code trainLimit} / {@code testLimit} examples (the first ones) of each split.
     */
    public static FashionMnistArrays load(Path debianDir, int trainLimit, int testLimit) throws IOException {
        boolean debian = Files.isRegularFile(debianDir.resolve("train-images-idx3-ubyte.gz"));
        Opener opener = debian ? name -> Files.newInputStream(debianDir.resolve(name)) : FashionMnistArrays::resource;
        DataSet train = split(opener, "train", trainLimit);
        DataSet test = split(opener, "t10k", testLimit);
        String source = (debian ? "Fashion-MNIST from " + debianDir : "Fashion-MNIST sample bundled with bn4j")
                + ": " + train.numExamples() + " train / " + test.numExamples() + " test examples";
        return new FashionMnistArrays(train, test, source);
    }

    private interface Opener {
        InputStream open(String name) throws IOException;
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = FashionMnistArrays.class.getResourceAsStream(SAMPLE_RESOURCE + name);
        if (in == null) {
            throw new IOException("bundled Fashion-MNIST sample file " + name + " is missing from the jar");
        }
        return in;
    }

    private static DataSet split(Opener opener, String prefix, int limit) throws IOException {
        IdxImages images;
        byte[] labels;
        try (InputStream in = opener.open(prefix + "-images-idx3-ubyte.gz")) {
            images = IdxImages.readImages(in);
        }
        try (InputStream in = opener.open(prefix + "-labels-idx1-ubyte.gz")) {
            labels = IdxImages.readLabels(in);
        }
        if (labels.length != images.count()) {
            throw new IOException(prefix + ": " + images.count() + " images but " + labels.length + " labels");
        }
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
