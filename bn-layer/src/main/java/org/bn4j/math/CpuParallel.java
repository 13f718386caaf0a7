package org.bn4j.math;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs the tasks of one {@link CpuKernels} pass on all cores: the calling thread plus {@code threads − 1} daemon
 * workers take task indices from a shared counter until none is left.
 *
 * <p>The number of threads defaults to {@link Runtime#availableProcessors()} and can be set with
 * {@code -Dbn4j.threads=N} (read once, when the class is loaded).
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

    /** Number of threads a parallel pass uses, the calling thread included. */
    static int threads() {
        return THREADS;
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
        Runnable worker = () -> {
            for (int task = next.getAndIncrement(); task < tasks; task = next.getAndIncrement()) {
                body.accept(task);
            }
        };
        int helpers = Math.min(THREADS - 1, tasks - 1);
        Future<?>[] futures = new Future<?>[helpers];
        for (int i = 0; i < helpers; i++) {
            futures[i] = WORKERS.submit(worker);
        }
        Throwable failure = null;
        try {
            worker.run();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        boolean interrupted = false;
        for (Future<?> future : futures) {
            while (true) {
                try {
                    future.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;          // the helpers are still writing into the caller's arrays: wait
                } catch (ExecutionException e) {
                    failure = failure == null ? e.getCause() : failure;
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure instanceof RuntimeException) {
            throw (RuntimeException) failure;
        }
        if (failure instanceof Error) {
            throw (Error) failure;
        }
        if (failure != null) {
            throw new IllegalStateException("batch-normalization CPU kernel failed", failure);
        }
    }
}
