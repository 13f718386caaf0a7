package org.bn4j.conv.ops;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Runs the slices of one split op: the calling thread plus {@code slices − 1} daemon workers (named
 * {@code bn4j-conv-slice}) take slice indices from a shared counter until none is left, so a worker that a busy
 * machine has not scheduled yet leaves its slice to the caller instead of holding it up.
 *
 * <p>The first exception of any slice is rethrown to the caller (as it was thrown, after every started slice has
 * finished, since they write into the caller's arrays); slices not started by then are skipped.
 *
 * <p>NOTE: a private pool (bn-conv does not depend on bn-layer's); idle workers end after a minute.
 */
final class SliceWorkers {

    private static final ExecutorService WORKERS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), runnable -> {
                Thread thread = new Thread(runnable, "bn4j-conv-slice");
                thread.setDaemon(true);
                return thread;
            });

    private SliceWorkers() {
    }

    /** Calls {@code body} once for every slice index in {@code [0, slices)}, on up to {@code slices} threads. */
    static void run(int slices, IntConsumer body) {
        if (slices <= 1) {
            for (int i = 0; i < slices; i++) {
                body.accept(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        CountDownLatch finished = new CountDownLatch(slices);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < slices; i = next.getAndIncrement()) {
                try {
                    if (failure.get() == null) {
                        body.accept(i);
                    }
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                } finally {
                    finished.countDown();
                }
            }
        };
        for (int i = 1; i < slices; i++) {
            WORKERS.execute(worker);
        }
        worker.run();
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
