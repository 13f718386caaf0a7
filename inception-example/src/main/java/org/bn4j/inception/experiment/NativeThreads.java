package org.bn4j.inception.experiment;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the threads ND4J uses for BLAS and its OpenMP ops. On a small shared machine the experiments' small matrices
 * gain little from a second thread, while an oversubscribed OpenBLAS spins when other jobs hold the cores (seen
 * during development as a many-fold slower §4.1 MLP step; not a committed benchmark).
 */
public final class NativeThreads {

    private static final Logger LOG = LoggerFactory.getLogger(NativeThreads.class);

    private NativeThreads() {
    }

    /** Sets BLAS and OpenMP threads to {@code threads} (0 leaves ND4J's default). */
    public static void limit(int threads) {
        if (threads <= 0) {
            return;
        }
        Nd4j.factory().blas().setMaxThreads(threads);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        Nd4j.getEnvironment().setMaxThreads(threads);
        LOG.info("ND4J limited to {} thread(s)", threads);
    }
}
