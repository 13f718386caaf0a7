package org.bn4j.math;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where the features are in an input array, and over which dimensions batch statistics are taken.
 *
 * <ul>
 *   <li>{@link #DENSE}: {@code [N, C]}, statistics per column over {@code m = N} values;</li>
 *   <li>{@link #NCHW}: {@code [N, C, H, W]}, per channel over {@code m = N·H·W} values (paper §3.2);</li>
 *   <li>{@link #NHWC}: {@code [N, H, W, C]}, per channel over {@code m = N·H·W} values.</li>
 * </ul>
 */
public enum FeatureLayout {
    DENSE(1, new int[] {0}),
    NCHW(1, new int[] {0, 2, 3}),
    NHWC(3, new int[] {0, 1, 2});

    private final int featureAxis;
    private final int[] reductionDims;

    FeatureLayout(int featureAxis, int[] reductionDims) {
        this.featureAxis = featureAxis;
        this.reductionDims = reductionDims;
    }

    /** The layout of an input of the given rank: dense for rank 2, the given format for rank 4. */
    public static FeatureLayout of(int rank, CNN2DFormat format) {
        if (rank == 2) {
            return DENSE;
        }
        if (rank == 4) {
            return format == CNN2DFormat.NHWC ? NHWC : NCHW;
        }
        throw new IllegalArgumentException("no feature layout for rank " + rank);
    }

    /** The axis of the features: 1 for dense and NCHW input, 3 for NHWC. */
    public int featureAxis() {
        return featureAxis;
    }

    /** Dimensions reduced to get one statistic per feature. */
    public int[] reductionDims() {
        return reductionDims.clone();
    }

    /** Number of features C of {@code x}. */
    public long features(INDArray x) {
        return x.size(featureAxis);
    }

    /** Number of values per feature, {@code m}: N for dense input, N·H·W for convolutional input. */
    public long valuesPerFeature(INDArray x) {
        return x.length() / x.size(featureAxis);
    }
}
