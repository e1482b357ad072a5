package torfs.session;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import torfs.log.StartTrace;
import torfs.storage.DataLock;
import torfs.storage.PieceStore;
import torfs.tracker.Announcer;

/**
 * The second half of {@link TorrentSession#stop()}, once the loop has closed the peers and the
 * writer: on a thread of its own (it waits, and the loop must not), it tells the trackers
 * {@code stopped}, waits for the disk tasks in flight, saves the resume state, gives the
 * trackers a short grace, closes the store and lets its data's lock go; then the session's
 * stop completes.
 */
final class StopSequence {
    private static final System.Logger LOG = System.getLogger(TorrentSession.class.getName());
    /**
     * How long a stop waits, after its resume save, for the trackers' answers to {@code stopped}
     * (sent when the stop began): a download's exit is not held for a slow tracker.
     */
    static final long TRACKER_GRACE_MILLIS = 100;

    private final AtomicInteger diskTasks;
    private final ResumeSaves resumeSaves;
    private final PieceStore store;
    private final DataLock dataLock;
    private final CompletableFuture<Void> stopped;
    /** Run once the stop completed: closes a client started for this torrent alone. */
    private final Runnable after;

    StopSequence(AtomicInteger diskTasks, ResumeSaves resumeSaves, PieceStore store, DataLock dataLock,
                 CompletableFuture<Void> stopped, Runnable after) {
        this.diskTasks = diskTasks;
        this.resumeSaves = resumeSaves;
        this.store = store;
        this.dataLock = dataLock;
        this.stopped = stopped;
        this.after = after;
    }

    /** Starts the sequence on its own daemon thread; {@code a}: the announcer, or null. */
    void start(Announcer a) {
        Thread t = new Thread(() -> finish(a), "torfs-stop");
        t.setDaemon(true);
        t.start();
    }

    private void finish(Announcer a) {
        // the trackers hear "stopped" while the data is flushed, not after
        CompletableFuture<Void> trackersTold = a == null ? CompletableFuture.completedFuture(null) : a.stop();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (diskTasks.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(1); // a download's exit waits here for the save its last piece started
            }
            StartTrace.mark("stop: disk tasks done");
            resumeSaves.save();
            StartTrace.mark("stop: resume saved");
        } catch (IOException | RuntimeException e) {
            // the state saved before (if any) stays, and files written since no longer match its
            // stamps: nothing verified is lost, the next start re-checks the data
            LOG.log(System.Logger.Level.WARNING, "could not save resume state: " + e.getMessage()
                    + "; the next start re-checks the data");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            // the trackers have had the save's time already; a slow one's answer is not worth an
            // exit's wait (the request is out; the announcer gives it up after its own bound)
            trackersTold.get(TRACKER_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            StartTrace.mark("stop: trackers told");
        } catch (TimeoutException e) {
            StartTrace.mark("stop: trackers not waited for");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // never: the announcer's stop completes normally
        }
        try {
            store.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing store", e);
        }
        try {
            dataLock.close(); // after the store: another process may now write these files
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "releasing the data's lock", e);
        }
        stopped.complete(null);
        after.run();
    }
}
