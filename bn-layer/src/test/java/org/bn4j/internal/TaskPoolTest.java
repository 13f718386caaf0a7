package org.bn4j.internal;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bn4j's one worker pool: every task once, failures of workers reach the caller, workers are daemons. */
class TaskPoolTest {

    @Test
    void runsEveryTaskExactlyOnceOnAtMostTheGivenThreads() {
        for (int round = 0; round < 200; round++) {
            AtomicIntegerArray runs = new AtomicIntegerArray(37);
            Set<Thread> threads = ConcurrentHashMap.newKeySet();
            TaskPool.run(37, 3, task -> {
                threads.add(Thread.currentThread());
                Thread.onSpinWait();
                runs.incrementAndGet(task);
            });
            for (int task = 0; task < 37; task++) {
                assertEquals(1, runs.get(task), "task " + task + " in round " + round);
            }
            assertTrue(threads.size() <= 3, threads.size() + " threads");
        }
    }

    @Test
    void oneThreadRunsEverythingOnTheCaller() {
        Thread caller = Thread.currentThread();
        TaskPool.run(10, 1, task -> assertEquals(caller, Thread.currentThread()));
    }

    @Test
    void aWorkersFailureReachesTheCaller() {
        Thread caller = Thread.currentThread();
        CountDownLatch workerStarted = new CountDownLatch(1);
        Set<Thread> failed = ConcurrentHashMap.newKeySet();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TaskPool.run(2, 2, i -> {
            if (Thread.currentThread() != caller) {
                workerStarted.countDown();
                failed.add(Thread.currentThread());
                throw new IllegalStateException("slice " + i + " failed in a worker");
            }
            try {
                workerStarted.await(30, TimeUnit.SECONDS);     // hold the caller's slice until a worker has one
            } catch (InterruptedException interrupted) {
                throw new AssertionError(interrupted);
            }
        }));
        assertTrue(e.getMessage().endsWith("failed in a worker"), e.getMessage());
        assertEquals(1, failed.size(), "a worker thread ran a slice");
        assertTrue(failed.iterator().next().isDaemon(), "workers are daemon threads");
        assertFalse(Thread.interrupted());
    }
}
