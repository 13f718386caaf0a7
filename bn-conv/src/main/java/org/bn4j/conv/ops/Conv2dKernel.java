package org.bn4j.conv.ops;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which native code computes one convolution call of the ops backend, chosen per call from its geometry by
 * {@link #select}: {@link #POINTWISE_GEMM} ({@link NhwcPointwiseGemmOps}) for a 1x1, stride-1, unpadded NHWC convolution when
 * libnd4j runs ONE OpenMP thread, the only setting where it measured faster than libnd4j's oneDNN ops (about 15 % less
 * CPU time; with 2 threads it was not faster: docs/convolution.md), {@link #DIRECT_FEW_CHANNELS}
 * ({@link DirectConvOps}) for a stride-1 NCHW float convolution of at most 4 input channels when the JVM has the
 * Vector API ({@link #select(Conv2dGeometry, long, DataType)}; training 17× faster than DL4J's layer and 0.63×
 * PyTorch's time on 64x1x32x32-32k3), {@link #POINTWISE_NCHW} ({@link NchwPointwiseSimdOps}) for a 1x1 stride-1 unpadded
 * NCHW float convolution with the Vector API (40× DL4J's layer, 0.94× PyTorch's time on 64x32x16x16-32k1; both JMH,
 * 2 threads, docs/benchmarks.md), and {@link #CONV2D_OPS} ({@link Conv2dOps}) for everything else. All compute
 * the same function; the arguments are those of {@link Conv2dOps}. The choice of a Java SIMD kernel, or the hint that
 * the Vector API is missing for one, is logged once.
 */
public enum Conv2dKernel {

    /** libnd4j's {@code conv2d} / {@code conv2d_bp} custom ops ({@link Conv2dOps}). */
    CONV2D_OPS {
        @Override
        public void forward(INDArray x, INDArray w, INDArray bias, Conv2dGeometry g, INDArray y) {
            Conv2dOps.forward(x, w, bias, g, y);
        }

        @Override
        public void backward(INDArray x, INDArray w, INDArray bias, INDArray dy, Conv2dGeometry g,
                             INDArray dx, INDArray dw, INDArray db) {
            Conv2dOps.backward(x, w, bias, dy, g, dx, dw, db);
        }
    },

    /** One BLAS gemm per product ({@link NhwcPointwiseGemmOps}); only for geometries where {@link NhwcPointwiseGemmOps#applies}. */
    POINTWISE_GEMM {
        @Override
        public void forward(INDArray x, INDArray w, INDArray bias, Conv2dGeometry g, INDArray y) {
            NhwcPointwiseGemmOps.forward(x, w, bias, y);
        }

        @Override
        public void backward(INDArray x, INDArray w, INDArray bias, INDArray dy, Conv2dGeometry g,
                             INDArray dx, INDArray dw, INDArray db) {
            NhwcPointwiseGemmOps.backward(x, w, dy, dx, dw, db);
        }
    },

    /**
     * A direct stride-1 NCHW convolution in Java for few input channels ({@link DirectConvOps}), on as many threads
     * as libnd4j's OpenMP uses; only for calls where {@link DirectConvOps#applies}.
     */
    DIRECT_FEW_CHANNELS {
        @Override
        public void forward(INDArray x, INDArray w, INDArray bias, Conv2dGeometry g, INDArray y) {
            DirectConvOps.forward(x, w, bias, g, y, nativeThreads());
        }

        @Override
        public void backward(INDArray x, INDArray w, INDArray bias, INDArray dy, Conv2dGeometry g,
                             INDArray dx, INDArray dw, INDArray db) {
            DirectConvOps.backward(x, w, dy, g, dx, dw, db, nativeThreads());
        }
    },

    /**
     * A 1x1 stride-1 unpadded NCHW convolution as register-blocked products in Java ({@link NchwPointwiseSimdOps}), on
     * as many threads as libnd4j's OpenMP uses; only for calls where {@link NchwPointwiseSimdOps#applies}.
     */
    POINTWISE_NCHW {
        @Override
        public void forward(INDArray x, INDArray w, INDArray bias, Conv2dGeometry g, INDArray y) {
            NchwPointwiseSimdOps.forward(x, w, bias, y, nativeThreads());
        }

        @Override
        public void backward(INDArray x, INDArray w, INDArray bias, INDArray dy, Conv2dGeometry g,
                             INDArray dx, INDArray dw, INDArray db) {
            NchwPointwiseSimdOps.backward(x, w, dy, dx, dw, db, nativeThreads());
        }
    };

    /** The kernel for a call with geometry {@code g} with libnd4j's current OpenMP thread count. */
    public static Conv2dKernel select(Conv2dGeometry g) {
        return select(g, nativeThreads());
    }

    /**
     * The kernel for a call of {@code channelsIn} input channels of {@code type} with geometry {@code g}:
     * {@link #DIRECT_FEW_CHANNELS} where {@link DirectConvOps#applies}, {@link #POINTWISE_NCHW} where
     * {@link NchwPointwiseSimdOps#applies}, else {@link #select(Conv2dGeometry)}.
     */
    public static Conv2dKernel select(Conv2dGeometry g, long channelsIn, DataType type) {
        if (DirectConvOps.applies(g, channelsIn, type)) {
            logOnce("computes stride-1 NCHW float layers of at most " + DirectConvOps.MAX_INPUT_CHANNELS
                    + " input channels with its direct Vector API kernel (DirectConvOps)");
            return DIRECT_FEW_CHANNELS;
        }
        if (NchwPointwiseSimdOps.applies(g, type)) {
            logOnce("computes 1x1 stride-1 NCHW float layers with its pointwise Vector API kernel (NchwPointwiseSimdOps)");
            return POINTWISE_NCHW;
        }
        if (DirectConvOps.shapeApplies(g, channelsIn, type) || NchwPointwiseSimdOps.shapeApplies(g, type)) {
            logOnce("computes a layer through libnd4j's ops that its Java SIMD kernels would compute faster: start "
                    + "the JVM with --add-modules " + DirectConvOps.VECTOR_MODULE);
        }
        return select(g);
    }

    private static void logOnce(String message) {
        if (Logged.MESSAGES.add(message)) {
            LoggerFactory.getLogger(Conv2dKernel.class).info("bn4j FastConvolution {}", message);
        }
    }

    private static int nativeThreads() {
        return Math.max(1, NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads());
    }

    /**
     * The kernel for a call with geometry {@code g} when native code runs {@code threads} threads:
     * {@link #POINTWISE_GEMM} where {@link NhwcPointwiseGemmOps#applies} and {@code threads == 1}, else the ops.
     */
    public static Conv2dKernel select(Conv2dGeometry g, int threads) {
        return threads == 1 && NhwcPointwiseGemmOps.applies(g) ? POINTWISE_GEMM : CONV2D_OPS;
    }

    /** {@code y = conv2d(x, W) + b}; see {@link Conv2dOps#forward}. */
    public abstract void forward(INDArray x, INDArray w, INDArray bias, Conv2dGeometry g, INDArray y);

    /** dL/dx, dL/dW, dL/db of {@link #forward}; see {@link Conv2dOps#backward}. */
    public abstract void backward(INDArray x, INDArray w, INDArray bias, INDArray dy, Conv2dGeometry g,
                                  INDArray dx, INDArray dw, INDArray db);

    /** The messages logged so far (a holder: an enum's own static fields initialize after its constants). */
    private static final class Logged {
        static final Set<String> MESSAGES = ConcurrentHashMap.newKeySet();
    }
}
