package org.bn4j.conv.testutil;

import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * libnd4j's OpenMP thread count for a test: the 1x1 NHWC gemm path ({@code Conv2dKernel.POINTWISE_GEMM}) is taken
 * with one thread only, so the layer tests run with one thread to cover it (the other kernels compute the same
 * function with any thread count).
 */
public final class NativeThreads {

    private NativeThreads() {
    }

    /** Sets {@code threads} and returns the count before, for {@link #set} again afterwards. */
    public static int set(int threads) {
        int before = NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        return before;
    }
}
