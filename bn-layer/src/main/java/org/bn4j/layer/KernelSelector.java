package org.bn4j.layer;

import org.bn4j.math.BatchNormKernels;
import org.bn4j.math.Nd4jOpKernels;
import org.bn4j.math.cpu.CpuKernels;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Locale;

/**
 * Chooses the {@link BatchNormKernels} implementation for an input array.
 *
 * <p>The system property {@value #PROPERTY} picks the path (read at every call, so it can be changed at run time):
 * <ul>
 *   <li>{@code auto} (default): {@link CpuKernels} on ND4J's CPU backend for a C-order, non-view FLOAT/DOUBLE
 *   input with zero offset; {@link Nd4jOpKernels} otherwise (CUDA, views, other data types);</li>
 *   <li>{@code cpu}: {@link CpuKernels} whenever ND4J runs on its CPU backend;</li>
 *   <li>{@code nd4j}: always {@link Nd4jOpKernels}, the portable reference.</li>
 * </ul>
 * Example: {@code java -Dbn4j.kernels=nd4j ...}. The selector sees only the input; {@link CpuKernels} checks every
 * array of a call (output, gradients) again and hands the call to {@link Nd4jOpKernels} when one of them is not a
 * plain C-order array of the input's data type, so a forced {@code cpu} never reads memory it does not understand.
 */
final class KernelSelector {

    /** System property that forces a kernel path: {@code auto}, {@code cpu} or {@code nd4j}. */
    static final String PROPERTY = "bn4j.kernels";

    private static final BatchNormKernels ND4J_OPS = new Nd4jOpKernels();
    private static final BatchNormKernels CPU = new CpuKernels(ND4J_OPS);

    private KernelSelector() {
    }

    static BatchNormKernels select(INDArray x) {
        String mode = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        switch (mode) {
            case "nd4j":
                return ND4J_OPS;
            case "cpu":
                return CpuKernels.isCpuBackend() ? CPU : ND4J_OPS;
            case "auto":
            case "":
                return CpuKernels.isCpuBackend() && CpuKernels.supports(x) ? CPU : ND4J_OPS;
            default:
                throw new IllegalArgumentException("-D" + PROPERTY + "=" + mode + ": expected auto, cpu or nd4j");
        }
    }
}
