package org.bn4j.inception.cli;

import org.bn4j.inception.train.StopRequest;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Ctrl-C (SIGINT) or {@code kill} (SIGTERM) during {@code train} saves a checkpoint on the way out: a JVM shutdown
 * hook asks the training loop to stop at the next mini-batch boundary ({@link StopRequest}) and holds the JVM until
 * the checkpoint is written, at most {@link #WAIT}. A second Ctrl-C does not shorten the wait (the JVM is already
 * shutting down); {@code kill -9} still ends the process at once, leaving the previous checkpoint.
 */
final class ShutdownCheckpoint implements AutoCloseable {

    /** How long the hook waits for the checkpoint: one mini-batch plus a checkpoint write, with a wide margin. */
    static final Duration WAIT = Duration.ofSeconds(60);

    private final StopRequest request = new StopRequest();
    private final Thread hook;

    /** Registers the hook; {@code out} gets one line when it fires. */
    ShutdownCheckpoint(PrintStream out) {
        hook = new Thread(() -> stopAndWait(out), "bn4j-shutdown-checkpoint");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The request the training loop checks. */
    StopRequest request() {
        return request;
    }

    /** What the hook does: request the stop, then wait for the checkpoint. */
    void stopAndWait(PrintStream out) {
        out.println("stopping: saving a checkpoint at the end of this mini-batch ...");
        request.request("interrupted");
        try {
            if (!request.awaitStopped(WAIT)) {
                out.println("no checkpoint after " + WAIT.toSeconds() + " s; exiting with the previous one");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The run ended by itself: the hook is no longer needed. */
    @Override
    public void close() {
        request.markStopped();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running and returns now that the request is stopped
        }
    }
}
