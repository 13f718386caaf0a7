package org.bn4j.math.cpu;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CpuParallelTest {

    @Test
    void runsEveryTaskExactlyOnceBeforeReturning() {
        for (int round = 0; round < 200; round++) {
            AtomicIntegerArray runs = new AtomicIntegerArray(37);
            CpuParallel.run(37, true, task -> {
                Thread.onSpinWait();
                runs.incrementAndGet(task);
            });
            for (int task = 0; task < 37; task++) {
                assertEquals(1, runs.get(task), "task " + task + " in round " + round);
            }
        }
    }

    @Test
    void rethrowsAFailureOfAnyTask() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CpuParallel.run(50, true, task -> {
            if (task == 31) {
                throw new IllegalStateException("task 31");
            }
        }));
        assertEquals("task 31", e.getMessage());
    }
}
