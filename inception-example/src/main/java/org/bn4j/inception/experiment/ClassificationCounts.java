package org.bn4j.inception.experiment;

import org.bn4j.inception.Csv;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Counts of a classifier's answers, added batch by batch: top-1 and top-k accuracy (the true class among the k most
 * probable; ImageNet reports k = 5), the confusion matrix (rows: true class, columns: predicted top-1 class) and the
 * per-class accuracy (the diagonal over the row sums, i.e. recall). Ties in probability go to the lower class index.
 */
public final class ClassificationCounts {

    private final List<String> labels;
    private final int k;
    private final long[][] confusion;
    private long topK;
    private long total;

    /** Counts for {@code labels} (class index = position) with top-{@code k} accuracy. */
    public ClassificationCounts(List<String> labels, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        this.labels = List.copyOf(labels);
        this.k = k;
        this.confusion = new long[labels.size()][labels.size()];
    }

    /** Adds a batch: {@code probabilities} [n, classes] and one-hot {@code oneHot} [n, classes]. */
    public void add(INDArray oneHot, INDArray probabilities) {
        double[][] p = probabilities.toDoubleMatrix();
        double[][] t = oneHot.toDoubleMatrix();
        for (int i = 0; i < p.length; i++) {
            add(argMax(t[i]), p[i]);
        }
    }

    /** Adds one answer: the true class index and the probability of every class. */
    public void add(int trueClass, double[] probabilities) {
        int predicted = argMax(probabilities);
        confusion[trueClass][predicted]++;
        int higher = 0;                                          // classes ranked before the true one
        for (int c = 0; c < probabilities.length; c++) {
            if (probabilities[c] > probabilities[trueClass]
                    || probabilities[c] == probabilities[trueClass] && c < trueClass) {
                higher++;
            }
        }
        if (higher < k) {
            topK++;
        }
        total++;
    }

    /** Answers counted. */
    public long total() {
        return total;
    }

    /** The k of the top-k accuracy. */
    public int k() {
        return k;
    }

    /** Share of answers whose top-1 class is the true one. */
    public double top1() {
        long correct = 0;
        for (int c = 0; c < confusion.length; c++) {
            correct += confusion[c][c];
        }
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    /** Share of answers with the true class among the k most probable. */
    public double topK() {
        return total == 0 ? Double.NaN : (double) topK / total;
    }

    /** Accuracy on the images of class {@code c} (NaN when there are none). */
    public double classAccuracy(int c) {
        long row = 0;
        for (long n : confusion[c]) {
            row += n;
        }
        return row == 0 ? Double.NaN : (double) confusion[c][c] / row;
    }

    /** Images of true class {@code trueClass} predicted as {@code predicted}. */
    public long count(int trueClass, int predicted) {
        return confusion[trueClass][predicted];
    }

    /** Writes {@code per-class.csv} (class, images, correct, accuracy) into {@code dir}. */
    public void writePerClass(Path file) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (int c = 0; c < labels.size(); c++) {
            long row = 0;
            for (long n : confusion[c]) {
                row += n;
            }
            rows.add(List.of(labels.get(c), Long.toString(row), Long.toString(confusion[c][c]),
                    String.format(Locale.ROOT, "%.6f", classAccuracy(c))));
        }
        Csv.write(file, List.of("class", "images", "correct", "accuracy"), rows);
    }

    /** Writes the confusion matrix: one row per true class, one column per predicted class. */
    public void writeConfusion(Path file) throws IOException {
        List<String> header = new ArrayList<>();
        header.add("true \\ predicted");
        header.addAll(labels);
        List<List<String>> rows = new ArrayList<>();
        for (int c = 0; c < labels.size(); c++) {
            List<String> row = new ArrayList<>();
            row.add(labels.get(c));
            for (long n : confusion[c]) {
                row.add(Long.toString(n));
            }
            rows.add(row);
        }
        Csv.write(file, header, rows);
    }

    private static int argMax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
