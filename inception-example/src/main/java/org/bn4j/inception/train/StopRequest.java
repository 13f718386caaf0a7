package org.bn4j.inception.train;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A request to stop training at the next mini-batch boundary, with a checkpoint (Ctrl-C, {@code kill}): the
 * requester ({@link #request}, for example a JVM shutdown hook) may then wait ({@link #awaitStopped}) until the
 * {@link TrainingRun} has saved the checkpoint and left its training loop. Thread-safe; one request per run.
 */
public final class StopRequest {

    private volatile String reason;
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** Asks the training loop to stop at the next batch boundary; {@code why} is shown to the user. Returns at once. */
    public void request(String why) {
        if (reason == null) {
            reason = why;
        }
    }

    /** Why training must stop, or null while it may go on. */
    public String reason() {
        return reason;
    }

    /** The training loop is no longer running (stopped with a checkpoint, finished, or failed). */
    public void markStopped() {
        stopped.countDown();
    }

    /** Waits up to {@code timeout} for {@link #markStopped}; false when the time ran out. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
