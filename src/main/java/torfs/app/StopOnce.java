package torfs.app;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A mount process's stop: run once, by the main thread or the shutdown hook, whichever comes
 * first; the other waits (bounded) for it to finish, because the JVM halts as soon as the hooks
 * return. A failure while stopping is one log line: the process is ending anyway.
 */
final class StopOnce implements Runnable {
    private static final System.Logger LOG = System.getLogger(StopOnce.class.getName());

    /** What stopping does. */
    interface Steps {
        void run() throws IOException;
    }

    private final AtomicBoolean started = new AtomicBoolean();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final long timeoutSeconds;
    private final Steps steps;

    StopOnce(long timeoutSeconds, Steps steps) {
        this.timeoutSeconds = timeoutSeconds;
        this.steps = steps;
    }

    @Override
    public void run() {
        if (started.compareAndSet(false, true)) {
            try {
                steps.run();
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "while stopping: " + e.getMessage());
            } finally {
                done.complete(null);
            }
            return;
        }
        try {
            done.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // give up waiting; the process is ending anyway
        }
    }
}
