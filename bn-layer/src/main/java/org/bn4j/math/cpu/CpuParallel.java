package org.bn4j.math.cpu;

import org.nd4j.linalg.factory.Nd4j;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Runs the tasks of one {@link CpuKernels} pass on all cores: the calling thread plus {@code threads − 1} daemon
 * workers take task indices from a shared counter until none is left.
 *
 * <p>The number of threads defaults to {@link Runtime#availableProcessors()} and can be set with
 * {@code -Dbn4j.threads=N} (read once, when the class is loaded); libnd4j's thread count caps it ({@link #threads()}).
 *
 * <p>NOTE: a private fixed pool rather than {@code ForkJoinPool.commonPool()}: the common pool has
 * {@code cores − 1} workers (one on a 2-core machine) and is shared with unrelated parallel streams. Tasks are
 * handed out dynamically (an atomic counter, several tasks per thread) so a core slowed by another process does
 * not hold up the pass.
 */
final class CpuParallel {

    private static final int THREADS = Math.max(1,
            Integer.getInteger("bn4j.threads", Runtime.getRuntime().availableProcessors()));

    private static final ExecutorService WORKERS = THREADS == 1 ? null : Executors.newFixedThreadPool(THREADS - 1,
            runnable -> {
                Thread thread = new Thread(runnable, "bn4j-cpu-kernels");
                thread.setDaemon(true);
                return thread;
            });

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
        if (!parallel || tasks <= 1 || WORKERS == null) {
            for (int task = 0; task < tasks; task++) {
                body.accept(task);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        CountDownLatch finished = new CountDownLatch(tasks);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            for (int task = next.getAndIncrement(); task < tasks; task = next.getAndIncrement()) {
                try {
                    if (failure.get() == null) {
                        body.accept(task);
                    }
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                } finally {
                    finished.countDown();
                }
            }
        };
        int helpers = Math.min(threads() - 1, tasks - 1);
        for (int i = 0; i < helpers; i++) {
            WORKERS.execute(worker);
        }
        worker.run();
        // NOTE: wait for the tasks, not for the helpers: a helper that has not started when the caller has claimed
        // every task finds nothing to do, and on a busy machine its thread may not be scheduled for milliseconds.
        boolean interrupted = false;
        while (true) {
            try {
                finished.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;              // helpers may still write into the caller's arrays: keep waiting
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable error = failure.get();
        if (error instanceof RuntimeException) {
            throw (RuntimeException) error;
        }
        if (error != null) {
            throw (Error) error;
        }
    }
}
