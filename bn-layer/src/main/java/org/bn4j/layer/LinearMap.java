package org.bn4j.layer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A per-feature affine map {@code y = scale·x + shift}: batch normalization with fixed statistics.
 * From mean μ and inverse standard deviation s: {@code scale = γ·s}, {@code shift = β − γ·μ·s}.
 */
final class LinearMap {
    /** Per-feature multiplier, rank 1. */
    final INDArray scale;
    /** Per-feature offset, rank 1. */
    final INDArray shift;

    private LinearMap(INDArray scale, INDArray shift) {
        this.scale = scale;
        this.shift = shift;
    }

    /**
     * The map {@code γ·(x − mean)·invStd + β}; {@code gamma}/{@code beta} null mean 1 and 0. Computed in the data
     * type of {@code mean} (γ and β are converted to it).
     */
    static LinearMap of(INDArray gamma, INDArray beta, INDArray mean, INDArray invStd) {
        DataType type = mean.dataType();
        INDArray s = invStd.castTo(type);
        INDArray scale = gamma == null ? s.dup() : s.mul(gamma.castTo(type));
        INDArray shift = mean.mul(scale).negi();
        if (beta != null) {
            shift.addi(beta.castTo(type));
        }
        return new LinearMap(scale, shift);
    }
}
