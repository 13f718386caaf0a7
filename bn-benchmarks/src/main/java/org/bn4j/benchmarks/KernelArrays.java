package org.bn4j.benchmarks;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The arrays one call of each {@code BatchNormKernels} pass needs, float32 activations and double per-channel
 * statistics, for the kernel timings ({@link KernelPassTimes}, {@code org.bn4j.math.cpu.FusedPassesAB}): random
 * input and gradient, outputs, per-channel scale (also γ), shift (also β) and 1/σ.
 */
public record KernelArrays(INDArray x, INDArray dy, INDArray out, INDArray dx, INDArray scale, INDArray shift,
                           INDArray mean, INDArray variance, INDArray invStd, INDArray dGamma, INDArray dBeta) {

    /** Random arrays of {@code shape} with {@code channels} features. */
    public static KernelArrays random(long[] shape, long channels) {
        return new KernelArrays(Nd4j.randn(DataType.FLOAT, shape), Nd4j.randn(DataType.FLOAT, shape),
                Nd4j.create(DataType.FLOAT, shape), Nd4j.create(DataType.FLOAT, shape),
                Nd4j.rand(DataType.FLOAT, channels).addi(0.5), Nd4j.randn(DataType.FLOAT, channels),
                Nd4j.create(DataType.DOUBLE, channels), Nd4j.create(DataType.DOUBLE, channels),
                Nd4j.rand(DataType.DOUBLE, channels).addi(0.5), Nd4j.create(DataType.FLOAT, channels),
                Nd4j.create(DataType.FLOAT, channels));
    }

    /** Values per channel. */
    public long valuesPerChannel() {
        return x.length() / scale.length();
    }
}
