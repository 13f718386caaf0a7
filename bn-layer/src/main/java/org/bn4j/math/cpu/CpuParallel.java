package org.bn4j.math.cpu;

import org.bn4j.internal.TaskPool;
import org.nd4j.linalg.factory.Nd4j;

import java.util.function.IntConsumer;

/**
 * How many threads a {@link CpuKernels} pass uses, and the pass's entry into bn4j's one {@link TaskPool}: the calling
 * thread plus up to {@code threads − 1} workers take task indices from a shared counter until none is left.
 *
 * <p>The number of threads defaults to {@link Runtime#availableProcessors()} and can be set with
 * {@code -Dbn4j.threads=N} (read once, when the class is loaded); libnd4j's thread count caps it ({@link #threads()}).
 *
 * <p>NOTE: bn4j's own pool rather than {@code ForkJoinPool.commonPool()}: the common pool has {@code cores − 1}
 * workers (one on a 2-core machine) and is shared with unrelated parallel streams. Tasks are handed out dynamically
 * (several tasks per thread) so a core slowed by another process does not hold up the pass.
 */
final class CpuParallel {

    private static final int THREADS = Math.max(1,
            Integer.getInteger("bn4j.threads", Runtime.getRuntime().availableProcessors()));

    private CpuParallel() {
    }

    /**
     * Number of threads a parallel pass uses, the calling thread included: the configured count, at most libnd4j's
     * thread count per op ({@code Nd4j.getEnvironment().maxThreads()}, which {@code OMP_NUM_THREADS} and
     * bn4j's ParallelTrainer set), so that one setting caps every kernel of a step.
     */
    static int threads() {
        return Math.max(1, Math.min(THREADS, Nd4j.getEnvironment().maxThreads()));
    }

    /** Calls {@code body} once for every task index in {@code [0, tasks)}, in parallel when {@code parallel}. */
    static void run(int tasks, boolean parallel, IntConsumer body) {
        TaskPool.run(tasks, parallel ? threads() : 1, body);
    }
}
