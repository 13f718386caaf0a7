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
 * A direct (no im2col, no gemm) stride-1 NCHW convolution in Java SIMD for inputs with few channels, such as a
 * network's first layer on grey-scale or RGB images: there im2col has only {@code Cin·kH·kW} rows, and libnd4j's
 * oneDNN ops spend most of their time reordering NCHW data (docs/convolution.md, "Few input channels").
 *
 * <p>Every tap {@code t = (ci, kh, kw)} of the kernel is one shift {@code s_t} of an example's zero-padded input
 * planes ({@link DirectConvPlanes}), so with outputs and dL/dy at the padded row stride:
 * <pre>
 *   y[co][i]       = b[co] + Σ_t W[co,t] · xp[s_t + i]
 *   dL/dW[co,t]    = Σ_n Σ_i dy[co][i] · xp[s_t + i]
 *   dL/db[co]      = Σ_n Σ_i dy[co][i]
 *   dL/dxp[ci][i]  = Σ_co Σ_{t of ci} W[co,t] · dy[co][i − s'_t]        (dL/dx = the unpadded part)
 * </pre>
 * computed by {@link DirectConvVectors} with the JDK's Vector API. Examples are split over {@code threads}
 * threads ({@link TaskPool}); dL/dW and dL/db are summed per example in float vector lanes, then in double per
 * slice, and the slices are added in slice order, so results do not depend on thread scheduling.
 *
 * <p>The Vector API is an incubator module: the JVM must be started with {@code --add-modules
 * jdk.incubator.vector} (the example's scripts, the tests and the benchmarks do). Without it, {@link #applies} is
 * false and {@link Conv2dKernel#select} keeps libnd4j's ops. FLOAT only; double precision goes through the ops too.
 */
public final class DirectConvOps {

    /** The most input channels this kernel is chosen for. */
    public static final int MAX_INPUT_CHANNELS = 4;

    /** The JVM module of the Vector API. */
    public static final String VECTOR_MODULE = JavaKernelArrays.VECTOR_MODULE;

    private static final String KERNEL = "DirectConvOps";

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private DirectConvOps() {
    }

    /** Whether this JVM resolved {@value #VECTOR_MODULE} (started with {@code --add-modules jdk.incubator.vector}). */
    public static boolean vectorModulePresent() {
        return JavaKernelArrays.VECTOR_MODULE_PRESENT;
    }

    /**
     * Whether this kernel computes a call: the Vector API is present, FLOAT, NCHW, stride 1 (any kernel size,
     * padding, dilation and mode) and at most {@link #MAX_INPUT_CHANNELS} input channels.
     */
    public static boolean applies(Conv2dGeometry g, long channelsIn, DataType type) {
        return JavaKernelArrays.VECTOR_MODULE_PRESENT && shapeApplies(g, channelsIn, type);
    }

    /** {@link #applies} without the check for the Vector API module. */
    static boolean shapeApplies(Conv2dGeometry g, long channelsIn, DataType type) {
        return type == DataType.FLOAT && g.format() == CNN2DFormat.NCHW
                && g.stride()[0] == 1 && g.stride()[1] == 1
                && channelsIn >= 1 && channelsIn <= MAX_INPUT_CHANNELS;
    }

    /**
     * {@code y = conv2d(x, W) + b}.
     *
     * @param x       input {@code [N, Cin, H, W]}
     * @param w       weights {@code [Cout, Cin, kH, kW]}
     * @param bias    bias of length Cout, or null
     * @param g       the call's geometry ({@link #applies})
     * @param y       output {@code [N, Cout, OH, OW]}
     * @param threads threads to split the examples over
     */
    public static void forward(INDArray x, INDArray w, INDArray bias, Conv2dGeometry g, INDArray y, int threads) {
        requireVectorModule(KERNEL);
        DirectConvPlanes p = new DirectConvPlanes(x, w, g, DirectConvVectors.LENGTH);
        KernelCallArrays call = KernelCallArrays.current();
        float[] weights = call.weights = values(w, KERNEL, "weights", call.weights);
        float[] b = bias == null ? null : (call.bias = values(bias, KERNEL, "bias", call.bias));
        FloatBuffer xb = buffer(x, KERNEL, "input");
        FloatBuffer yb = buffer(y, KERNEL, "output");
        long xBase = x.offset();
        long yBase = y.offset();
        int slices = Math.max(1, Math.min(threads, p.n));
        TaskPool.run(slices, slices, slice -> {
            Scratch s = SCRATCH.get().reserve(p);
            Arrays.fill(s.xp, 0f);
            for (int n = p.n * slice / slices, end = p.n * (slice + 1) / slices; n < end; n++) {
                loadPadded(xb, xBase + (long) n * p.cIn * p.inPlane, s, p);
                DirectConvVectors.forward(s.xp, weights, b, p, s.dense, s.partial);
                yb.put(index(yBase + (long) n * p.cOut * p.outPlane), s.dense, 0, p.cOut * p.outPlane);
            }
        });
    }

    /**
     * dL/dx, dL/dW and dL/db of {@link #forward} for the upstream gradient {@code dy}.
     *
     * @param x       the forward input {@code [N, Cin, H, W]}
     * @param w       the forward weights {@code [Cout, Cin, kH, kW]}
     * @param dy      dL/dy {@code [N, Cout, OH, OW]}
     * @param g       the call's geometry
     * @param dx      output dL/dx, shape of x
     * @param dw      output dL/dW, shape of w (may be a view into a flattened gradient vector)
     * @param db      output dL/db of length Cout, or null without bias
     * @param threads threads to split the examples over
     */
    public static void backward(INDArray x, INDArray w, INDArray dy, Conv2dGeometry g, INDArray dx, INDArray dw,
                                INDArray db, int threads) {
        requireVectorModule(KERNEL);
        DirectConvPlanes p = new DirectConvPlanes(x, w, g, DirectConvVectors.LENGTH);
        KernelCallArrays call = KernelCallArrays.current();
        float[] weights = call.weights = values(w, KERNEL, "weights", call.weights);
        int kernel = p.planeShifts.length;
        int[] offsets = new int[p.cOut * kernel];
        float[][] byInputChannel = new float[p.cIn][p.cOut * kernel];
        for (int co = 0; co < p.cOut; co++) {
            for (int t = 0; t < kernel; t++) {
                offsets[co * kernel + t] = co * p.gPlane - p.planeShifts[t];
                for (int ci = 0; ci < p.cIn; ci++) {
                    byInputChannel[ci][co * kernel + t] = weights[(co * p.cIn + ci) * kernel + t];
                }
            }
        }
        FloatBuffer xb = buffer(x, KERNEL, "input");
        FloatBuffer gb = buffer(dy, KERNEL, "gradient");
        FloatBuffer dxb = buffer(dx, KERNEL, "input gradient");
        long xBase = x.offset();
        long gBase = dy.offset();
        long dxBase = dx.offset();
        int slices = Math.max(1, Math.min(threads, p.n));
        int weightCount = p.cOut * p.shifts.length;
        double[][] dwPartial = call.weightPartial(slices, weightCount);
        double[][] dbPartial = db == null ? null : call.biasPartial(slices, p.cOut);
        TaskPool.run(slices, slices, slice -> {
            Scratch s = SCRATCH.get().reserve(p);
            Arrays.fill(s.xp, 0f);
            Arrays.fill(s.g, 0f);               // the padding, front and scratch columns stay zero for the whole call
            double[] dwSum = dwPartial[slice];
            double[] dbSum = db == null ? null : dbPartial[slice];
            for (int n = p.n * slice / slices, end = p.n * (slice + 1) / slices; n < end; n++) {
                loadPadded(xb, xBase + (long) n * p.cIn * p.inPlane, s, p);
                gb.get(index(gBase + (long) n * p.cOut * p.outPlane), s.dense, 0, p.cOut * p.outPlane);
                DirectConvVectors.padGradient(s.dense, p, s.g);
                DirectConvVectors.weightGradient(s.g, s.xp, p, dwSum, dbSum);
                DirectConvVectors.inputGradient(s.g, p.front, offsets, byInputChannel, p.plane, p.inSpan, s.dxp);
                storeUnpadded(s, dxb, dxBase + (long) n * p.cIn * p.inPlane, p);
            }
        });
        call.weightSum = inSliceOrder(dwPartial, slices, weightCount, call.weightSum);
        write(dw, call.weightSum, KERNEL, "weight gradient");
        if (db != null) {
            call.biasSum = inSliceOrder(dbPartial, slices, p.cOut, call.biasSum);
            write(db, call.biasSum, KERNEL, "bias gradient");
        }
    }

    /** The example's input planes at {@code from} into the padded planes {@code s.xp} (padding already zero). */
    private static void loadPadded(FloatBuffer x, long from, Scratch s, DirectConvPlanes p) {
        x.get(index(from), s.dense, 0, p.cIn * p.inPlane);
        for (int ci = 0; ci < p.cIn; ci++) {
            for (int ih = 0; ih < p.inH; ih++) {
                int ph = p.paddedRow(ih);
                if (ph >= 0) {
                    System.arraycopy(s.dense, ci * p.inPlane + ih * p.inW + p.colFirst, s.xp,
                            ci * p.plane + ph * p.wp + p.colFirst + p.padLeft, p.colLength);
                }
            }
        }
    }

    /** The unpadded part of {@code s.dxp} into dL/dx at {@code to}; input pixels outside the padded plane get 0. */
    private static void storeUnpadded(Scratch s, FloatBuffer dx, long to, DirectConvPlanes p) {
        float[] dense = s.dense;
        if (p.colLength < p.inW || p.inH + p.padTop > p.hp) {
            Arrays.fill(dense, 0, p.cIn * p.inPlane, 0f);
        }
        for (int ci = 0; ci < p.cIn; ci++) {
            for (int ih = 0; ih < p.inH; ih++) {
                int ph = p.paddedRow(ih);
                if (ph >= 0) {
                    System.arraycopy(s.dxp, ci * p.plane + ph * p.wp + p.colFirst + p.padLeft, dense,
                            ci * p.inPlane + ih * p.inW + p.colFirst, p.colLength);
                }
            }
        }
        dx.put(index(to), dense, 0, p.cIn * p.inPlane);
    }







    /** One thread's buffers, grown as needed and reused across calls. */
    private static final class Scratch {
        float[] xp = new float[0];
        float[] dxp = new float[0];
        float[] g = new float[0];
        float[] dense = new float[0];
        final float[] partial = new float[DirectConvVectors.OUT_BLOCK * DirectConvVectors.LENGTH];

        Scratch reserve(DirectConvPlanes p) {
            xp = atLeast(xp, p.cIn * p.plane);
            dxp = atLeast(dxp, p.cIn * p.plane);
            g = atLeast(g, p.cOut * p.gPlane);
            dense = atLeast(dense, Math.max(p.cIn * p.inPlane, p.cOut * p.outPlane));
            return this;
        }

        private static float[] atLeast(float[] a, int length) {
            return a.length >= length ? a : new float[length];
        }
    }
}
