package org.bn4j.benchmarks;

import org.bn4j.conv.ops.Conv2dGeometry;
import org.bn4j.conv.ops.Conv2dKernel;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Minor page faults and CPU time per call of the convolution kernels (forward, backward) with preallocated arrays:
 * on this project's VMs a page fault costs ~17 µs, so a native op that takes fresh memory for its temporaries on
 * every call pays for it on every call (docs/benchmarks.md, "1x1 convolution: gemm path"). Linux only
 * ({@code /proc/self/stat}). Run, per shape of {@link ConvolutionBenchmark} (NCHW, or NHWC with the {@code -NHWC}
 * suffix):
 *
 * <pre>
 * OMP_NUM_THREADS=1 java -cp bn-benchmarks/target/benchmarks.jar org.bn4j.benchmarks.ConvolutionPageFaults \
 *     64x1x32x32-32k3 64x1x32x32-32k3-NHWC 64x32x16x16-32k1 64x32x16x16-32k1-NHWC
 * </pre>
 *
 * Prints, per shape and pass, the kernel, then after 30 warm-up calls four rounds of 50 calls: minor faults per call
 * and CPU ms per call of the calling thread.
 */
public final class ConvolutionPageFaults {

    private ConvolutionPageFaults() {
    }

    public static void main(String[] args) {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        for (String shape : args) {
            String[] io = shape.split("-");
            long[] d = java.util.Arrays.stream(io[0].split("x")).mapToLong(Long::parseLong).toArray();
            String[] out = io[1].split("k");
            int cOut = Integer.parseInt(out[0]);
            int k = Integer.parseInt(out[1]);
            CNN2DFormat format = io.length > 2 ? CNN2DFormat.valueOf(io[2]) : CNN2DFormat.NCHW;
            INDArray x = format == CNN2DFormat.NCHW ? Nd4j.randn(DataType.FLOAT, d[0], d[1], d[2], d[3])
                    : Nd4j.randn(DataType.FLOAT, d[0], d[2], d[3], d[1]);
            INDArray w = Nd4j.randn(DataType.FLOAT, cOut, d[1], k, k);
            INDArray b = Nd4j.randn(DataType.FLOAT, cOut);
            Conv2dGeometry g = Conv2dGeometry.of(x, new int[] {k, k}, new int[] {1, 1}, new int[] {0, 0},
                    new int[] {1, 1}, ConvolutionMode.Same, format);
            Conv2dKernel kernel = Conv2dKernel.select(g);
            INDArray y = Nd4j.create(DataType.FLOAT, g.outputShape(d[0], cOut));
            INDArray dy = Nd4j.randn(DataType.FLOAT, g.outputShape(d[0], cOut));
            INDArray dx = Nd4j.create(DataType.FLOAT, x.shape());
            INDArray dw = Nd4j.create(DataType.FLOAT, w.shape());
            INDArray db = Nd4j.create(DataType.FLOAT, cOut);
            report(shape + " " + kernel + " forward", () -> kernel.forward(x, w, b, g, y));
            report(shape + " " + kernel + " backward", () -> kernel.backward(x, w, b, dy, g, dx, dw, db));
        }
    }

    private static void report(String what, Runnable call) {
        for (int i = 0; i < 30; i++) {
            call.run();
        }
        StringBuilder line = new StringBuilder(what + ":");
        for (int round = 0; round < 4; round++) {
            long faults = minorFaults();
            long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            for (int i = 0; i < 50; i++) {
                call.run();
            }
            double cpuMs = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu) / 1e6 / 50;
            line.append(String.format(" [%.0f faults, %.2f ms]", (minorFaults() - faults) / 50.0, cpuMs));
        }
        System.out.println(line);
    }

    /** Minor page faults of this process so far (field 10 of /proc/self/stat). */
    private static long minorFaults() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/stat (Linux only)", e);
        }
    }
}
