package torfs.session;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The few threads that write blocks, hash pieces and read blocks for upload, shared by every
 * torrent of a client. It counts the bytes waiting to be written: above {@code highWater} the
 * torrents stop reading from their peers (backpressure through the kernel's socket buffers),
 * below {@code lowWater} they read again. The queue itself is unbounded only in tasks that
 * the water marks already bound.
 *
 * <p>Urgent tasks (the writes and hash of a piece a read is waiting for) run before every
 * queued normal task: up to the high water mark of background writes may be queued, and a
 * blocked read should not wait for them.
 *
 * <p>Flushes behind a download ({@link FlushBehind}) run on a thread of their own: an fdatasync
 * blocks for tens of milliseconds, and the writers and hashers should not wait behind it.
 */
final class DiskPool implements AutoCloseable {
    private final ThreadPoolExecutor executor;
    private final ExecutorService flusher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "torfs-flush");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong pendingWriteBytes = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();
    private final Executor normal = r -> submit(r, false);
    private final long highWater;
    private final long lowWater;

    DiskPool(int threads, long highWater, long lowWater) {
        this.highWater = highWater;
        this.lowWater = lowWater;
        this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new PriorityBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "torfs-disk");
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Runs tasks in submission order, after any urgent ones. */
    Executor executor() {
        return normal;
    }

    /** Runs the task before every queued normal task (urgent tasks among themselves in order). */
    void executeUrgent(Runnable task) {
        submit(task, true);
    }

    private void submit(Runnable task, boolean urgent) {
        executor.execute(new Task(task, urgent, sequence.getAndIncrement()));
    }

    /** A queued task: urgent first, then first come first served. */
    private record Task(Runnable body, boolean urgent, long seq) implements Runnable, Comparable<Task> {
        @Override
        public void run() {
            body.run();
        }

        @Override
        public int compareTo(Task o) {
            if (urgent != o.urgent) {
                return urgent ? -1 : 1;
            }
            return Long.compare(seq, o.seq);
        }
    }

    /** The one thread for flushes behind the writes, in submission order. */
    Executor flusher() {
        return flusher;
    }

    void addPendingWrite(long bytes) {
        pendingWriteBytes.addAndGet(bytes);
    }

    void writeDone(long bytes) {
        pendingWriteBytes.addAndGet(-bytes);
    }

    boolean overloaded() {
        return pendingWriteBytes.get() > highWater;
    }

    boolean drained() {
        return pendingWriteBytes.get() < lowWater;
    }

    @Override
    public void close() {
        executor.shutdown();
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!executor.isTerminated() && System.nanoTime() < deadline) {
            try {
                executor.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true; // queued writes still finish: they are someone's data
            }
        }
        executor.shutdownNow();
        flusher.shutdown(); // a flush still running finishes on its own; nothing waits for it here
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
