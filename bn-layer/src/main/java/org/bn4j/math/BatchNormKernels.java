package org.bn4j.math;

import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The arithmetic of batch normalization, as pure functions over arrays: no layer state, no configuration.
 *
 * <p>Per-feature arrays ({@code gamma}, {@code beta}, {@code mean}, ...) are rank 1 of length C. Outputs are written
 * into arrays the caller allocates, so the caller controls workspaces. {@code gamma == null} means γ = 1 and
 * {@code beta == null} means β = 0 (fixed identity).
 */
public interface BatchNormKernels {

    /**
     * {@code 1/√(variance + ε)} per feature, a new array of {@code variance}'s data type: for the population statistics
     * (the training kernels give it for the batch statistics).
     */
    static INDArray invStd(INDArray variance, double eps) {
        return Transforms.pow(variance.add(eps), -0.5, false);
    }

    /**
     * Algorithm 1 of the paper: writes {@code out = γ·(x − μ_B)/√(σ²_B + ε) + β}, the batch mean {@code μ_B} into
     * {@code mean}, the biased batch variance {@code σ²_B = (1/m)Σ(x − μ_B)²} into {@code variance} and the
     * {@code 1/√(σ²_B + ε)} it normalized with into {@code invStd} (what the backward pass takes).
     */
    void trainForward(INDArray x, FeatureLayout layout, INDArray gamma, INDArray beta, double eps,
                      INDArray out, INDArray mean, INDArray variance, INDArray invStd);

    /**
     * Pass 1 of Algorithm 1 alone: the batch mean {@code μ_B} into {@code mean} and the biased batch variance
     * {@code σ²_B} into {@code variance}, of {@code x} only. With several replicas, each computes these of its shard,
     * the replicas combine them into the whole batch's ({@link org.bn4j.math.BatchMoments}), and each then runs
     * {@link #normalize} with the combined statistics: {@code trainForward} = {@code moments} + {@code normalize}.
     */
    void moments(INDArray x, FeatureLayout layout, INDArray mean, INDArray variance);

    /**
     * Pass 2 of Algorithm 1 alone, with given statistics (double arrays keep the mean exact): writes
     * {@code out = γ·(x − mean)/√(variance + ε) + β} and the {@code 1/√(variance + ε)} it normalized with into
     * {@code invStd}.
     */
    void normalize(INDArray x, FeatureLayout layout, INDArray gamma, INDArray beta, double eps, INDArray mean,
                   INDArray variance, INDArray out, INDArray invStd);

    /**
     * Pass 1 of the backward pass alone: {@code dβ = Σ dy} and {@code dγ = Σ dy·x̂} over {@code x} only. Summed over
     * replicas they are the whole batch's sums, which {@link #inputGradient} needs.
     */
    void gradientSums(INDArray x, INDArray dy, FeatureLayout layout, INDArray mean, INDArray invStd,
                      INDArray dGamma, INDArray dBeta);

    /**
     * Pass 2 of the backward pass alone: {@code dx = γ·invStd/m · (m·dy − dβ − x̂·dγ)} with given sums {@code dγ},
     * {@code dβ} over {@code m} values per feature ({@code m} is the whole batch's count when the sums are those of
     * several replicas).
     */
    void inputGradient(INDArray x, INDArray dy, FeatureLayout layout, INDArray mean, INDArray invStd, INDArray gamma,
                       INDArray dGamma, INDArray dBeta, double m, INDArray dx);

    /**
     * The exact gradient through the batch statistics (§3, chain rule through μ_B and σ²_B), with
     * {@code x̂ = (x − μ_B)·invStd} recomputed from the input:
     * <pre>
     *   dβ = Σ dy        dγ = Σ dy·x̂        dx = γ·invStd/m · (m·dy − dβ − x̂·dγ)
     * </pre>
     * {@code dGamma} and {@code dBeta} must always be given (they are needed for dx even when γ/β are fixed).
     */
    void backward(INDArray x, INDArray dy, FeatureLayout layout, INDArray mean, INDArray invStd, INDArray gamma,
                  INDArray dx, INDArray dGamma, INDArray dBeta);

    /** Inference as one per-feature linear map: {@code out = scale·x + shift}. */
    void inference(INDArray x, FeatureLayout layout, INDArray scale, INDArray shift, INDArray out);

    /**
     * The gradient through a ReLU that follows the per-feature linear map, without materializing the map:
     * <pre>
     *   out = dy   where scale·x + shift &gt; 0,     out = 0 elsewhere
     * </pre>
     * ReLU's derivative at 0 is taken as 0, as DL4J's {@code ActivationReLU} (libnd4j {@code relu_bp}) does.
     * {@code out} may not alias {@code x}; it may alias {@code dy} only where the implementation reads {@code dy}
     * before writing {@code out} element by element (both given ones do). The default runs {@link #inference} and
     * DL4J's ReLU backprop.
     */
    default void reluGradient(INDArray x, INDArray dy, FeatureLayout layout, INDArray scale, INDArray shift,
                              INDArray out) {
        inference(x, layout, scale, shift, out);
        out.assign(new ActivationReLU().backprop(out, dy.dup()).getFirst());
    }

    /**
     * The gradient of the population map {@code y = γ·x̂ + β} with fixed statistics, {@code x̂ = (x − mean)·invStd}
     * (frozen statistics, or backprop after an inference-mode forward):
     * <pre>
     *   dx = γ·invStd·dy        dγ = Σ dy·x̂        dβ = Σ dy
     * </pre>
     * {@code dGamma} and {@code dBeta} may be null (γ/β fixed): their sums are then skipped. Per-feature arrays are
     * in {@code x}'s data type. Built from {@link #inference} and ND4J sums.
     */
    default void populationBackward(INDArray x, INDArray dy, FeatureLayout layout, INDArray mean, INDArray invStd,
                                    INDArray gamma, INDArray dx, INDArray dGamma, INDArray dBeta) {
        INDArray scale = gamma == null ? invStd.dup() : invStd.mul(gamma);
        inference(dy, layout, scale, Nd4j.zeros(scale.dataType(), scale.length()), dx);
        if (dGamma != null || dBeta != null) {
            int[] dims = layout.reductionDims();
            if (dGamma != null) {
                INDArray xHat = Nd4j.createUninitialized(x.dataType(), x.shape(), 'c');
                inference(x, layout, invStd, mean.mul(invStd).negi(), xHat);
                dGamma.assign(xHat.muli(dy).sum(dims));
            }
            if (dBeta != null) {
                dBeta.assign(dy.sum(dims));
            }
        }
    }
}
