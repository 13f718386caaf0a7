package org.bn4j.math;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.api.ops.impl.reduce.floating.SquaredNorm;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link BatchNormKernels} built from ND4J broadcast and reduction ops: portable to every ND4J backend (CPU, CUDA)
 * and to any array view.
 *
 * <p>NOTE: the batch mean is computed around a per-feature shift {@code K} (the feature's first value),
 * {@code μ = K + mean(x − K)}, and the variance from the centred values, {@code mean((x − μ)²)}. Summing
 * {@code x − K} instead of {@code x} keeps float32 exact enough for inputs with a large mean (10000 + N(0,1)).
 * Per-feature arrays may have another data type than {@code x} (the layer keeps the batch mean in double); the
 * backward pass puts the rounding of such a mean to {@code x}'s type back into x̂.
 */
public final class Nd4jOpKernels implements BatchNormKernels {

    @Override
    public void trainForward(INDArray x, FeatureLayout layout, INDArray gamma, INDArray beta, double eps,
                             INDArray out, INDArray mean, INDArray variance, INDArray invStd) {
        int axis = layout.featureAxis();
        int[] dims = layout.reductionDims();
        double m = layout.valuesPerFeature(x);

        INDArray shift = firstValuePerFeature(x, layout);
        exec(new BroadcastSubOp(x, shift, out, axis));                 // out = x − K
        INDArray shiftedMean = out.mean(dims);
        exec(new BroadcastSubOp(out, shiftedMean, out, axis));         // out = x − μ
        mean.assign(shift.castTo(mean.dataType()).add(shiftedMean.castTo(mean.dataType())));
        INDArray sumSquares = Nd4j.getExecutioner().exec(new SquaredNorm(out, dims));
        variance.assign(sumSquares.divi(m).castTo(variance.dataType()));

        INDArray s = BatchNormKernels.invStd(variance, eps);
        invStd.assign(s);
        INDArray scale = inType(s, x);
        if (gamma != null) {
            scale.muli(inType(gamma, x));
        }
        exec(new BroadcastMulOp(out, scale, out, axis));
        if (beta != null) {
            exec(new BroadcastAddOp(out, inType(beta, x), out, axis));
        }
    }

    @Override
    public void backward(INDArray x, INDArray dy, FeatureLayout layout, INDArray mean, INDArray invStd,
                         INDArray gamma, INDArray dx, INDArray dGamma, INDArray dBeta) {
        int axis = layout.featureAxis();
        int[] dims = layout.reductionDims();
        double m = layout.valuesPerFeature(x);

        INDArray meanInType = inType(mean, x);
        INDArray s = inType(invStd, x);
        dBeta.assign(dy.sum(dims));
        exec(new BroadcastSubOp(x, meanInType, dx, axis));
        exec(new BroadcastMulOp(dx, s, dx, axis));
        if (mean.dataType() != x.dataType()) {
            // x̂ = (x − μ_x)·s − (μ − μ_x)·s: the rounding of a more precise mean to x's type, put back.
            INDArray correction = mean.sub(meanInType.castTo(mean.dataType())).muli(invStd.castTo(mean.dataType()));
            exec(new BroadcastSubOp(dx, inType(correction, x), dx, axis));
        }                                                               // dx holds x̂
        dGamma.assign(dy.mul(dx).sum(dims));

        exec(new BroadcastMulOp(dx, inType(dGamma, x).div(-m), dx, axis));   // −x̂·dγ/m
        dx.addi(dy);                                                          // + dy
        exec(new BroadcastAddOp(dx, inType(dBeta, x).div(-m), dx, axis));    // − dβ/m
        INDArray factor = gamma == null ? s : s.mul(inType(gamma, x));
        exec(new BroadcastMulOp(dx, factor, dx, axis));                       // · γ·invStd
    }

    @Override
    public void moments(INDArray x, FeatureLayout layout, INDArray mean, INDArray variance) {
        int axis = layout.featureAxis();
        int[] dims = layout.reductionDims();
        double m = layout.valuesPerFeature(x);
        INDArray shift = firstValuePerFeature(x, layout);
        INDArray centred = Nd4j.createUninitialized(x.dataType(), x.shape(), 'c');
        exec(new BroadcastSubOp(x, shift, centred, axis));             // x − K
        INDArray shiftedMean = centred.mean(dims);
        exec(new BroadcastSubOp(centred, shiftedMean, centred, axis)); // x − μ
        mean.assign(shift.castTo(mean.dataType()).add(shiftedMean.castTo(mean.dataType())));
        INDArray sumSquares = Nd4j.getExecutioner().exec(new SquaredNorm(centred, dims));
        variance.assign(sumSquares.divi(m).castTo(variance.dataType()));
    }

    @Override
    public void normalize(INDArray x, FeatureLayout layout, INDArray gamma, INDArray beta, double eps, INDArray mean,
                          INDArray variance, INDArray out, INDArray invStd) {
        INDArray mu = mean.castTo(DataType.DOUBLE);
        INDArray scale = BatchNormKernels.invStd(variance.castTo(DataType.DOUBLE), eps);
        invStd.assign(scale);
        if (gamma != null) {
            scale.muli(gamma.castTo(DataType.DOUBLE));
        }
        INDArray meanInType = inType(mu, x);
        // out = (x − μ_x)·scale + (β − (μ − μ_x)·scale): x − μ_x first, exact for values near the mean
        INDArray offset = mu.sub(meanInType.castTo(DataType.DOUBLE)).muli(scale).negi();
        if (beta != null) {
            offset.addi(beta.castTo(DataType.DOUBLE));
        }
        int axis = layout.featureAxis();
        exec(new BroadcastSubOp(x, meanInType, out, axis));
        exec(new BroadcastMulOp(out, inType(scale, x), out, axis));
        exec(new BroadcastAddOp(out, inType(offset, x), out, axis));
    }

    @Override
    public void gradientSums(INDArray x, INDArray dy, FeatureLayout layout, INDArray mean, INDArray invStd,
                             INDArray dGamma, INDArray dBeta) {
        int[] dims = layout.reductionDims();
        INDArray xHat = Nd4j.createUninitialized(x.dataType(), x.shape(), 'c');
        normalizedInput(x, layout, mean, invStd, xHat);
        dBeta.assign(dy.sum(dims));
        dGamma.assign(xHat.muli(dy).sum(dims));
    }

    @Override
    public void inputGradient(INDArray x, INDArray dy, FeatureLayout layout, INDArray mean, INDArray invStd,
                              INDArray gamma, INDArray dGamma, INDArray dBeta, double m, INDArray dx) {
        int axis = layout.featureAxis();
        INDArray s = inType(invStd, x);
        normalizedInput(x, layout, mean, invStd, dx);                                // dx holds x̂
        exec(new BroadcastMulOp(dx, inType(dGamma, x).div(-m), dx, axis));   // −x̂·dγ/m
        dx.addi(dy);                                                          // + dy
        exec(new BroadcastAddOp(dx, inType(dBeta, x).div(-m), dx, axis));    // − dβ/m
        INDArray factor = gamma == null ? s : s.mul(inType(gamma, x));
        exec(new BroadcastMulOp(dx, factor, dx, axis));                       // · γ·invStd
    }

    /** {@code out = x̂ = (x − μ)·invStd}, with the rounding of a more precise mean to x's type put back. */
    private static void normalizedInput(INDArray x, FeatureLayout layout, INDArray mean, INDArray invStd,
                                        INDArray out) {
        int axis = layout.featureAxis();
        INDArray meanInType = inType(mean, x);
        exec(new BroadcastSubOp(x, meanInType, out, axis));
        exec(new BroadcastMulOp(out, inType(invStd, x), out, axis));
        if (mean.dataType() != x.dataType()) {
            INDArray correction = mean.sub(meanInType.castTo(mean.dataType())).muli(invStd.castTo(mean.dataType()));
            exec(new BroadcastSubOp(out, inType(correction, x), out, axis));
        }
    }

    @Override
    public void inference(INDArray x, FeatureLayout layout, INDArray scale, INDArray shift, INDArray out) {
        int axis = layout.featureAxis();
        exec(new BroadcastMulOp(x, inType(scale, x), out, axis));
        exec(new BroadcastAddOp(out, inType(shift, x), out, axis));
    }

    /** A per-feature vector in the data type of {@code x} (broadcast ops need one type; per-feature arrays may be double). */
    private static INDArray inType(INDArray v, INDArray x) {
        return v.dataType() == x.dataType() ? v : v.castTo(x.dataType());
    }

    private static INDArray firstValuePerFeature(INDArray x, FeatureLayout layout) {
        INDArrayIndex[] index = new INDArrayIndex[x.rank()];
        for (int d = 0; d < index.length; d++) {
            index[d] = d == layout.featureAxis() ? NDArrayIndex.all() : NDArrayIndex.point(0);
        }
        return x.get(index).dup();
    }

    private static void exec(org.nd4j.linalg.api.ops.Op op) {
        Nd4j.getExecutioner().exec(op);
    }
}
