package org.bn4j.math.cpu;

import org.bn4j.benchmarks.KernelArrays;
import org.bn4j.math.BatchNormKernels;
import org.bn4j.math.FeatureLayout;
import org.bn4j.math.Nd4jOpKernels;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Locale;

/**
 * The fused NCHW training passes of {@link CpuKernels} against the same kernels with fusion off, in one process,
 * alternating call by call (forward + backward, float32, random γ and β, the shapes of issue 21 and two smaller ones), so that the
 * machine's drift hits both alike: median and quartiles of 120 calls each, after 40 of warm-up.
 *
 * <p>NOTE: in bn4j's package because the budget is set through {@code CpuKernels}' package-private constructor; a
 * separate process with {@code -Dbn4j.cpu.l2Bytes=0} turns fusion off for users, but two processes do not share
 * the machine's state.
 *
 * <p>{@code OMP_NUM_THREADS=1 java -cp bn-benchmarks/target/benchmarks.jar org.bn4j.math.cpu.FusedPassesAB}
 */
public final class FusedPassesAB {

    private static final int CALLS = 40;
    private static final int ROUNDS = 4;

    private FusedPassesAB() {
    }

    public static void main(String[] args) {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        System.out.printf(Locale.ROOT, "level-2 cache %d KiB, fused budget %d KiB, threads %d%n",
                CpuCache.l2Bytes() / 1024, CpuKernels.defaultFusedBudget() / 1024, CpuParallel.threads());
        BatchNormKernels[] kernels = {new CpuKernels(), new CpuKernels(new Nd4jOpKernels(), 0)};
        for (long[] shape : new long[][] {{32, 64, 56, 56}, {128, 32, 28, 28}, {32, 64, 28, 28}, {64, 32, 14, 14}}) {
            KernelArrays a = KernelArrays.random(shape, shape[1]);
            double[][] ms = new double[2][CALLS * (ROUNDS - 1)];
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < CALLS; i++) {
                    for (int k = 0; k < 2; k++) {
                        long t0 = System.nanoTime();
                        kernels[k].trainForward(a.x(), FeatureLayout.NCHW, a.scale(), a.shift(), 1e-5, a.out(),
                                a.mean(), a.variance(), a.invStd());
                        kernels[k].backward(a.x(), a.dy(), FeatureLayout.NCHW, a.mean(), a.invStd(), a.scale(),
                                a.dx(), a.dGamma(), a.dBeta());
                        if (round > 0) {
                            ms[k][(round - 1) * CALLS + i] = (System.nanoTime() - t0) / 1e6;
                        }
                    }
                }
            }
            for (double[] m : ms) {
                Arrays.sort(m);
            }
            int n = ms[0].length;
            System.out.printf(Locale.ROOT, "%s fused median %.2f ms (quartiles %.2f-%.2f) | separate passes "
                            + "median %.2f ms (quartiles %.2f-%.2f)%n", Arrays.toString(shape),
                    ms[0][n / 2], ms[0][n / 4], ms[0][3 * n / 4], ms[1][n / 2], ms[1][n / 4], ms[1][3 * n / 4]);
        }
        System.exit(0);
    }
}
