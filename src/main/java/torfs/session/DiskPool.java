package torfs.session;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The few threads that write blocks, hash pieces and read blocks for upload, shared by every
 * torrent of a client. It counts the bytes waiting to be written: above {@code highWater} the
 * torrents stop reading from their peers (backpressure through the kernel's socket buffers),
 * below {@code lowWater} they read again. The queue itself is unbounded only in tasks that
 * the water marks already bound.
 */
final class DiskPool implements AutoCloseable {
    private final ThreadPoolExecutor executor;
    private final AtomicLong pendingWriteBytes = new AtomicLong();
    private final long highWater;
    private final long lowWater;

    DiskPool(int threads, long highWater, long lowWater) {
        this.highWater = highWater;
        this.lowWater = lowWater;
        this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "torfs-disk");
                    t.setDaemon(true);
                    return t;
                });
    }

    ExecutorService executor() {
        return executor;
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

    long pendingWriteBytes() {
        return pendingWriteBytes.get();
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
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
