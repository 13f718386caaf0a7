package org.bn4j.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * The one pool of worker threads of a JVM running bn4j: every parallel CPU kernel (bn-layer's batch-normalization
 * passes, bn-conv's split convolutions and pooling) runs its tasks here.
 *
 * <p>{@link #run} lets the calling thread and up to {@code threads − 1} daemon workers (named {@code bn4j-worker})
 * take task indices from a shared counter until none is left, so a worker that a busy machine has not scheduled yet
 * leaves its tasks to the caller instead of holding it up. Workers are created on demand and end after a minute
 * idle, so concurrent callers (replicas of a network, each with its own thread budget) never wait for each other's
 * workers.
 *
 * <p>The first exception of any task is rethrown to the caller as it was thrown, after every started task has
 * finished (they write into the caller's arrays); tasks not started by then are skipped. An interrupt of the caller
 * does not cut the wait short (workers may still be writing); it is restored before returning.
 */
public final class TaskPool {

    private static final ExecutorService WORKERS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), runnable -> {
                Thread thread = new Thread(runnable, "bn4j-worker");
                thread.setDaemon(true);
                return thread;
            });

    private TaskPool() {
    }

    /**
     * Calls {@code body} once for every task index in {@code [0, tasks)}, on the calling thread and at most
     * {@code threads − 1} workers (on the calling thread only when {@code threads <= 1} or {@code tasks <= 1}).
     */
    public static void run(int tasks, int threads, IntConsumer body) {
        int helpers = Math.min(threads, tasks) - 1;
        if (helpers <= 0) {
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
        for (int i = 0; i < helpers; i++) {
            WORKERS.execute(worker);
        }
        worker.run();
        // NOTE: wait for the tasks, not for the workers: a worker that has not started when the caller has claimed
        // every task finds nothing to do, and on a busy machine its thread may not be scheduled for milliseconds.
        boolean interrupted = false;
        while (true) {
            try {
                finished.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;              // workers may still write into the caller's arrays: keep waiting
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
