package org.bn4j.parallel;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The threads each native op may use during a {@link ParallelTrainer} step: {@code threadsPerReplica} for
 * libnd4j's own thread pool (and so for bn4j's Java kernels, which split over the same count), OpenBLAS and, per
 * replica thread, OpenMP (oneDNN). With one thread per replica and one replica per core, every core runs one replica
 * and no op spawns threads of its own. The libnd4j and BLAS settings are process-wide, so they are set for the
 * duration of a step and {@link #restore()} puts back what was there before (inference between steps, e.g.
 * validation, keeps every thread).
 */
final class NativeThreadLimit {

    private final int maxThreads;
    private final int maxMasterThreads;
    private final int blasThreads;

    private NativeThreadLimit() {
        this.maxThreads = Nd4j.getEnvironment().maxThreads();
        this.maxMasterThreads = Nd4j.getEnvironment().maxMasterThreads();
        this.blasThreads = Nd4j.factory().blas().getMaxThreads();
    }

    /** Limits libnd4j and BLAS to {@code threads} per op, remembering the previous settings. */
    static NativeThreadLimit apply(int threads) {
        NativeThreadLimit limit = new NativeThreadLimit();
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        return limit;
    }

    /**
     * Sets OpenMP's thread count for ops called from the current thread (an OpenMP setting of the calling thread)
     * and returns the previous one.
     */
    static int limitCurrentThread(int threads) {
        int before = NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        return before;
    }

    static void restoreCurrentThread(int ompThreads) {
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(ompThreads);
    }

    void restore() {
        Nd4j.getEnvironment().setMaxThreads(maxThreads);
        Nd4j.getEnvironment().setMaxMasterThreads(maxMasterThreads);
        Nd4j.factory().blas().setMaxThreads(blasThreads);
    }
}
