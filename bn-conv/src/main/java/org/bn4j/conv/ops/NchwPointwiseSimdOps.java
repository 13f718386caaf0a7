package org.bn4j.conv.ops;

import org.bn4j.internal.TaskPool;
import static org.bn4j.conv.ops.JavaKernelArrays.buffer;
import static org.bn4j.conv.ops.JavaKernelArrays.inSliceOrder;
import static org.bn4j.conv.ops.JavaKernelArrays.index;
import static org.bn4j.conv.ops.JavaKernelArrays.requireVectorModule;
import static org.bn4j.conv.ops.JavaKernelArrays.values;
import static org.bn4j.conv.ops.JavaKernelArrays.write;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A pointwise (1x1, stride 1, unpadded) NCHW convolution as register-blocked matrix products in Java SIMD.
 *
 * <p>In NCHW one example's input is the matrix {@code X [Cin, P]} ({@code P = H·W}, contiguous), its output
 * {@code Y [Cout, P]}, and with the weights {@code W [Cout, Cin]} (DL4J's {@code [Cout, Cin, 1, 1]}):
 * <pre>
 *   forward:  Y     = W · X + b·1ᵀ
 *   backward: dL/dX = Wᵀ · G              (G = dL/dY of the example)
 *             dL/dW = Σ_n G · Xᵀ
 *             dL/db = Σ_n G · 1
 * </pre>
 * computed by {@link NchwPointwiseSimdVectors} with the JDK's Vector API: one small product per example, which BLAS
 * gemm calls through ND4J did not make faster than libnd4j's oneDNN ops (docs/convolution.md), but which a
 * register-blocked loop over Java arrays computes at a large fraction of the core's peak. Examples are split over
 * {@code threads} threads ({@link TaskPool}); dL/dW and dL/db are summed in float vector lanes per slice, then
 * in double, and the slices are added in slice order, so results do not depend on thread scheduling.
 *
 * <p>Needs {@code --add-modules jdk.incubator.vector} like {@link DirectConvOps}; FLOAT only.
 */
public final class NchwPointwiseSimdOps {

    private static final String KERNEL = "NchwPointwiseSimdOps";

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private NchwPointwiseSimdOps() {
    }

    /** Whether this kernel computes a call: the Vector API is present, FLOAT, NCHW, 1x1, stride 1, no padding. */
    public static boolean applies(Conv2dGeometry g, DataType type) {
        return JavaKernelArrays.VECTOR_MODULE_PRESENT && shapeApplies(g, type);
    }

    /** {@link #applies} without the check for the Vector API module. */
    static boolean shapeApplies(Conv2dGeometry g, DataType type) {
        return type == DataType.FLOAT && g.format() == CNN2DFormat.NCHW
                && g.kernel()[0] == 1 && g.kernel()[1] == 1
                && g.stride()[0] == 1 && g.stride()[1] == 1
                && g.padding()[0] == 0 && g.padding()[1] == 0;
    }

    /**
     * {@code y = W · x + b} per example.
     *
     * @param x       input {@code [N, Cin, H, W]}
     * @param w       weights {@code [Cout, Cin, 1, 1]}
     * @param bias    bias of length Cout, or null
     * @param y       output {@code [N, Cout, H, W]}
     * @param threads threads to split the examples over
     */
    public static void forward(INDArray x, INDArray w, INDArray bias, INDArray y, int threads) {
        requireVectorModule(KERNEL);
        Sizes z = new Sizes(x, w);
        KernelCallArrays call = KernelCallArrays.current();
        float[] weights = call.weights = values(w, KERNEL, "weights", call.weights);
        float[] b = bias == null ? null : (call.bias = values(bias, KERNEL, "bias", call.bias));
        FloatBuffer xb = buffer(x, KERNEL, "input");
        FloatBuffer yb = buffer(y, KERNEL, "output");
        long xBase = x.offset();
        long yBase = y.offset();
        int slices = Math.max(1, Math.min(threads, z.n));
        TaskPool.run(slices, slices, slice -> {
            Scratch s = SCRATCH.get().reserve(z);
            for (int n = z.n * slice / slices, end = z.n * (slice + 1) / slices; n < end; n++) {
                load(xb, xBase + (long) n * z.cIn * z.pixels, z.cIn, z, s.in);
                NchwPointwiseSimdVectors.product(s.in, weights, b, z.cIn, z.cOut, z.stride, s.out);
                store(s.out, z.cOut, z, yb, yBase + (long) n * z.cOut * z.pixels);
            }
        });
    }

    /**
     * dL/dx, dL/dW and dL/db of {@link #forward} for the upstream gradient {@code dy}.
     *
     * @param x       the forward input {@code [N, Cin, H, W]}
     * @param w       the forward weights {@code [Cout, Cin, 1, 1]}
     * @param dy      dL/dy {@code [N, Cout, H, W]}
     * @param dx      output dL/dx, shape of x
     * @param dw      output dL/dW, shape of w (may be a view into a flattened gradient vector)
     * @param db      output dL/db of length Cout, or null without bias
     * @param threads threads to split the examples over
     */
    public static void backward(INDArray x, INDArray w, INDArray dy, INDArray dx, INDArray dw, INDArray db,
                                int threads) {
        requireVectorModule(KERNEL);
        Sizes z = new Sizes(x, w);
        KernelCallArrays call = KernelCallArrays.current();
        float[] weights = call.weights = values(w, KERNEL, "weights", call.weights);
        float[] transposed = call.transposed = KernelCallArrays.atLeast(call.transposed, z.cOut * z.cIn);
        for (int co = 0; co < z.cOut; co++) {
            for (int ci = 0; ci < z.cIn; ci++) {
                transposed[ci * z.cOut + co] = weights[co * z.cIn + ci];
            }
        }
        FloatBuffer xb = buffer(x, KERNEL, "input");
        FloatBuffer gb = buffer(dy, KERNEL, "gradient");
        FloatBuffer dxb = buffer(dx, KERNEL, "input gradient");
        long xBase = x.offset();
        long gBase = dy.offset();
        long dxBase = dx.offset();
        int lanes = NchwPointwiseSimdVectors.LENGTH;
        int slices = Math.max(1, Math.min(threads, z.n));
        double[][] dwPartial = call.weightPartial(slices, z.cOut * z.cIn);
        double[][] dbPartial = db == null ? null : call.biasPartial(slices, z.cOut);
        TaskPool.run(slices, slices, slice -> {
            Scratch s = SCRATCH.get().reserve(z).clearLanes(z.cOut * z.cIn * lanes, z.cOut * lanes);
            float[] dwLanes = s.weightLanes;
            float[] dbLanes = s.biasLanes;
            for (int n = z.n * slice / slices, end = z.n * (slice + 1) / slices; n < end; n++) {
                load(xb, xBase + (long) n * z.cIn * z.pixels, z.cIn, z, s.in);
                load(gb, gBase + (long) n * z.cOut * z.pixels, z.cOut, z, s.gradient);
                NchwPointwiseSimdVectors.crossLanes(s.gradient, s.in, z.cOut, z.cIn, z.stride, dwLanes);
                if (db != null) {
                    NchwPointwiseSimdVectors.rowLanes(s.gradient, z.cOut, z.stride, dbLanes);
                }
                NchwPointwiseSimdVectors.product(s.gradient, transposed, null, z.cOut, z.cIn, z.stride, s.out);
                store(s.out, z.cIn, z, dxb, dxBase + (long) n * z.cIn * z.pixels);
            }
            sumLanes(dwLanes, z.cOut * z.cIn, lanes, dwPartial[slice]);
            if (db != null) {
                sumLanes(dbLanes, z.cOut, lanes, dbPartial[slice]);
            }
        });
        call.weightSum = inSliceOrder(dwPartial, slices, z.cOut * z.cIn, call.weightSum);
        write(dw, call.weightSum, KERNEL, "weight gradient");
        if (db != null) {
            call.biasSum = inSliceOrder(dbPartial, slices, z.cOut, call.biasSum);
            write(db, call.biasSum, KERNEL, "bias gradient");
        }
    }

    /** {@code rows} planes of {@code P} values at {@code from} into rows of stride {@code z.stride}. */
    private static void load(FloatBuffer source, long from, int rows, Sizes z, float[] target) {
        if (z.stride == z.pixels) {
            source.get(index(from), target, 0, rows * z.pixels);
            return;
        }
        for (int r = 0; r < rows; r++) {
            source.get(index(from + (long) r * z.pixels), target, r * z.stride, z.pixels);
        }
    }

    /** The first {@code P} values of {@code rows} rows of stride {@code z.stride} into planes at {@code to}. */
    private static void store(float[] source, int rows, Sizes z, FloatBuffer target, long to) {
        if (z.stride == z.pixels) {
            target.put(index(to), source, 0, rows * z.pixels);
            return;
        }
        for (int r = 0; r < rows; r++) {
            target.put(index(to + (long) r * z.pixels), source, r * z.stride, z.pixels);
        }
    }

    /** The first {@code count} groups of {@code length} lanes, each summed in double into {@code sums}. */
    private static void sumLanes(float[] lanes, int count, int length, double[] sums) {
        for (int i = 0; i < count; i++) {
            double sum = 0;
            for (int lane = 0; lane < length; lane++) {
                sum += lanes[i * length + lane];
            }
            sums[i] = sum;
        }
    }

    /** The sizes of one call; rows (channels) are {@code stride ≥ P} values apart, a multiple of the vector. */
    private static final class Sizes {
        final int n;
        final int cIn;
        final int cOut;
        final int pixels;
        final int stride;

        Sizes(INDArray x, INDArray w) {
            if (x.rank() != 4 || w.rank() != 4 || x.size(1) != w.size(1) || w.size(2) != 1 || w.size(3) != 1) {
                throw new IllegalArgumentException(KERNEL + ": input " + Arrays.toString(x.shape())
                        + " does not match 1x1 weights " + Arrays.toString(w.shape()));
            }
            n = Math.toIntExact(x.size(0));
            cIn = Math.toIntExact(x.size(1));
            cOut = Math.toIntExact(w.size(0));
            pixels = Math.toIntExact(x.size(2) * x.size(3));
            int v = NchwPointwiseSimdVectors.LENGTH;
            stride = (pixels + v - 1) / v * v;
            Math.multiplyExact(Math.max(cIn, cOut), stride);            // every buffer fits a Java array
        }
    }

    /** One thread's buffers, grown as needed and reused across calls. */
    private static final class Scratch {
        float[] in = new float[0];
        float[] gradient = new float[0];
        float[] out = new float[0];
        float[] weightLanes = new float[0];
        float[] biasLanes = new float[0];

        /** Zeroed lane sums for a backward call: {@code weights} for dL/dW, {@code bias} for dL/db. */
        Scratch clearLanes(int weights, int bias) {
            weightLanes = KernelCallArrays.atLeast(weightLanes, weights);
            biasLanes = KernelCallArrays.atLeast(biasLanes, bias);
            Arrays.fill(weightLanes, 0, weights, 0f);
            Arrays.fill(biasLanes, 0, bias, 0f);
            return this;
        }

        Scratch reserve(Sizes z) {
            // rows are padded with zeros past P (never written afterwards), so dL/dW's sums over them add nothing
            int rows = Math.max(z.cIn, z.cOut) * z.stride;
            if (in.length < rows) {
                in = new float[rows];
                gradient = new float[rows];
                out = new float[rows];
            } else if (z.stride != z.pixels) {
                Arrays.fill(in, 0f);
                Arrays.fill(gradient, 0f);
            }
            return this;
        }
    }
}
