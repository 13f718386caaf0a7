package org.bn4j.inception.monitor;

import org.bn4j.inception.UserError;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Percentiles of the values of an array, the summary Ioffe &amp; Szegedy 2015, §4.1, Figure 1(b,c) plot for a
 * sigmoid's input ({15, 50, 85}th). Pure functions; the values are sorted, so large arrays are first subsampled
 * (uniformly, with a fixed seed) to bound the cost.
 */
public final class Percentiles {

    /** The paper's choice: 15th, 50th and 85th percentiles, as {@link #parse} reads them. */
    public static final String PAPER_LIST = "15,50,85";

    /** The paper's choice: 15th, 50th and 85th percentiles. */
    public static final double[] PAPER = parse(PAPER_LIST);

    private Percentiles() {
    }

    /**
     * The {@code percentiles} (each in [0, 100]) of {@code values}, by linear interpolation between closest ranks
     * (NumPy's default): rank {@code p/100 · (n − 1)}. Sorts {@code values} in place.
     */
    public static double[] of(float[] values, double[] percentiles) {
        if (values.length == 0) {
            throw new IllegalArgumentException("percentiles of an empty set of values");
        }
        Arrays.sort(values);
        validate(percentiles);
        double[] result = new double[percentiles.length];
        for (int i = 0; i < percentiles.length; i++) {
            double rank = percentiles[i] / 100.0 * (values.length - 1);
            int below = (int) Math.floor(rank);
            int above = Math.min(below + 1, values.length - 1);
            double fraction = rank - below;
            result[i] = values[below] + fraction * (values[above] - values[below]);
        }
        return result;
    }

    /**
     * The values of one unit ({@code unit >= 0}: column of a rank-2 array, channel (dimension 1) of a rank-3/4/5
     * array) or of all units ({@code unit < 0}), at most {@code maxValues} of them drawn uniformly without
     * replacement with {@code seed}.
     */
    public static float[] sample(INDArray array, int unit, int maxValues, long seed) {
        INDArray selected = unit < 0 ? array : unitOf(array, unit);
        float[] all = selected.dup('c').data().asFloat();
        if (all.length <= maxValues) {
            return all;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < maxValues; i++) { // partial Fisher-Yates: the first maxValues slots are the sample
            int j = i + random.nextInt(all.length - i);
            float swap = all[i];
            all[i] = all[j];
            all[j] = swap;
        }
        return Arrays.copyOf(all, maxValues);
    }

    /** Column label of a percentile: {@code p15}, {@code p2.5}. */
    public static String label(double percentile) {
        if (percentile == Math.rint(percentile)) {
            return "p" + (long) percentile;
        }
        return "p" + String.format(Locale.ROOT, "%s", percentile);
    }

    /** Parses {@code "15,50,85"}; throws IllegalArgumentException for an empty or out-of-range list. */
    public static double[] parse(String commaSeparated) {
        double[] values = Arrays.stream(commaSeparated.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .mapToDouble(Double::parseDouble)
                .toArray();
        return validate(values);
    }

    /** Returns {@code percentiles}; IllegalArgumentException when empty or a value is outside [0, 100]. */
    public static double[] validate(double[] percentiles) {
        if (percentiles.length == 0) {
            throw new UserError("no percentile given");
        }
        for (double p : percentiles) {
            if (!(p >= 0 && p <= 100)) {
                throw new UserError("percentile must be in [0, 100], got " + p);
            }
        }
        return percentiles;
    }

    private static INDArray unitOf(INDArray array, int unit) {
        if (array.rank() < 2) {
            throw new IllegalArgumentException("cannot select unit " + unit + " of a rank-" + array.rank()
                    + " array");
        }
        long units = array.size(1);
        if (unit >= units) {
            throw new IllegalArgumentException("unit " + unit + " is out of range: the layer input has " + units
                    + " units (shape " + Arrays.toString(array.shape()) + ")");
        }
        INDArrayIndex[] index = new INDArrayIndex[array.rank()];
        Arrays.fill(index, NDArrayIndex.all());
        index[1] = NDArrayIndex.point(unit);
        return array.get(index);
    }
}
