package torfs.stream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import torfs.geometry.PieceGeometry;
import torfs.geometry.PieceRange;
import torfs.metainfo.Torrent;
import torfs.picker.Priority;
import torfs.session.PieceSource;

/**
 * Turns byte reads of a torrent into piece wishes and waits: {@code read(offset, length)} reads
 * verified pieces straight from the store into the caller's buffer (the page cache, and the
 * kernel's cache of the mounted file, keep hot data; a copy in the JVM only cost allocation,
 * zeroing and collections), asks the source for missing ones with
 * priority NOW and the read's deadline, and waits for them, bounded by the read timeout. An
 * interrupt, a caller's cancel check or {@link #close()} ends a wait at once with a
 * {@link ReadFailure}; no read waits forever. Thread-safe.
 */
public final class TorrentReader implements AutoCloseable {
    /** How often a blocked read polls its caller's cancel check (a FUSE interrupt). */
    private static final long CANCEL_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final BooleanSupplier NEVER = () -> false;
    /**
     * A read of a piece that just timed out fails at once for this long: the kernel retries a
     * failed readahead with a synchronous read right away, which would otherwise double the
     * time a user waits for the EIO of a read nobody can serve.
     */
    static final long RETIMEOUT_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final PieceSource source;
    private final PieceGeometry geometry;
    private final ReaderConfig config;
    /** One future per blocked wait, failed by close() so waiters leave at once. */
    private final Set<CompletableFuture<?>> waits = ConcurrentHashMap.newKeySet();
    /** Piece -> nanoTime of its last read timeout; entries older than the grace are pruned. */
    private final ConcurrentHashMap<Integer, Long> recentTimeouts = new ConcurrentHashMap<>();
    /** How many files' run lengths are kept; the least recently opened are forgotten. */
    static final int FILES_REMEMBERED = 256;
    /** Each file's {@link RunLengths}, by the file's start (files start apart unless empty). */
    private final Map<Long, RunLengths> runLengths = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, RunLengths> eldest) {
            return size() > FILES_REMEMBERED;
        }
    };
    private volatile boolean closed;

    public TorrentReader(PieceSource source, ReaderConfig config) {
        this.source = source;
        this.geometry = source.geometry();
        this.config = config;
    }

    public PieceSource source() {
        return source;
    }

    public Torrent torrent() {
        return source.torrent();
    }

    public PieceGeometry geometry() {
        return geometry;
    }

    public ReaderConfig config() {
        return config;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Reads with the configured read timeout and no cancel check. */
    public byte[] read(long offset, int length) throws ReadFailure {
        return read(offset, length, deadlineFromNow(), NEVER);
    }

    /**
     * Reads {@code [offset, offset + length)} of the torrent's data, clipped at its end (a read
     * at or past the end returns no bytes).
     *
     * @param deadlineNanos on the {@link System#nanoTime()} clock: missing pieces must be
     *                      verified by then, else {@link ReadFailure.Reason#TIMEOUT}
     * @param cancelled     polled while waiting; true ends the read with
     *                      {@link ReadFailure.Reason#INTERRUPTED}
     */
    public byte[] read(long offset, int length, long deadlineNanos, BooleanSupplier cancelled)
            throws ReadFailure {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length");
        }
        long total = geometry.totalLength();
        byte[] out = new byte[offset >= total ? 0 : (int) Math.min(length, total - offset)];
        read(offset, out.length, deadlineNanos, cancelled, ByteBuffer.wrap(out));
        return out;
    }

    /**
     * As {@link #read(long, int, long, BooleanSupplier)}, into {@code dst} from its position
     * (at most its remaining bytes), which it advances: the bytes go from the store straight
     * into the caller's buffer (for FUSE, the kernel's).
     *
     * @return how many bytes were read
     */
    public int read(long offset, int length, long deadlineNanos, BooleanSupplier cancelled, ByteBuffer dst)
            throws ReadFailure {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length");
        }
        if (closed) {
            throw closedFailure();
        }
        long total = geometry.totalLength();
        if (offset >= total || length == 0 || !dst.hasRemaining()) {
            return 0;
        }
        int n = (int) Math.min(Math.min(length, dst.remaining()), total - offset);
        PieceRange pieces = geometry.piecesOf(offset, n);
        leaseAll(pieces, deadlineNanos, cancelled);
        ByteBuffer view = dst.duplicate();
        view.limit(view.position() + n);
        try {
            while (view.hasRemaining()) {
                long at = offset + (view.position() - dst.position());
                if (source.readVerified(at, view) <= 0) {
                    throw new IOException("store returned no bytes at " + at);
                }
            }
        } catch (IOException e) {
            throw new ReadFailure(ReadFailure.Reason.IO,
                    "reading pieces " + pieces.first() + "-" + (pieces.end() - 1) + ": " + e.getMessage(), e);
        } finally {
            for (int p = pieces.first(); p < pieces.end(); p++) {
                source.release(p);
            }
        }
        dst.position(dst.position() + n);
        return n;
    }

    /**
     * Waits until every piece of {@code pieces} is verified and holds a lease on each, so a
     * capped cache cannot evict one while its bytes are copied. A piece evicted between its
     * wait and its lease is waited for again (it is fetched again), within the same deadline.
     */
    private void leaseAll(PieceRange pieces, long deadline, BooleanSupplier cancelled) throws ReadFailure {
        while (true) {
            ensureVerified(pieces, deadline, cancelled);
            int p = pieces.first();
            while (p < pieces.end() && source.tryLease(p)) {
                p++;
            }
            if (p == pieces.end()) {
                return;
            }
            for (int q = pieces.first(); q < p; q++) {
                source.release(q);
            }
            if (closed) {
                throw closedFailure();
            }
            if (deadline - System.nanoTime() <= 0) {
                throw new ReadFailure(ReadFailure.Reason.TIMEOUT,
                        "piece " + p + " did not arrive within the read timeout");
            }
        }
    }

    /**
     * Opens a handle on the bytes {@code [start, end)} (one file), with its own readahead
     * window. Close it to drop its wishes.
     */
    public ReadHandle open(long start, long end) {
        checkOpen();
        return new ReadHandle(this, start, end);
    }

    /** Where read runs on the file starting at {@code fileStart} ended, shared by its handles. */
    RunLengths runLengths(long fileStart) {
        synchronized (runLengths) {
            return runLengths.computeIfAbsent(fileStart, k -> new RunLengths());
        }
    }

    /** Verified bytes inside {@code [start, end)}: progress of one file. */
    public long verifiedBytes(long start, long end) {
        long total = 0;
        if (end <= start) {
            return 0;
        }
        PieceRange pieces = geometry.piecesOf(start, end - start);
        for (int p = pieces.first(); p < pieces.end(); p++) {
            if (source.isVerified(p)) {
                long ps = geometry.pieceStart(p);
                total += Math.min(end, ps + geometry.pieceSize(p)) - Math.max(start, ps);
            }
        }
        return total;
    }

    long deadlineFromNow() {
        return System.nanoTime() + config.readTimeout().toNanos();
    }

    /**
     * Closes the reader: every blocked read fails with {@link ReadFailure.Reason#CLOSED}, later
     * reads fail at once. The source is not closed (its owner does that).
     */
    @Override
    public void close() {
        closed = true;
        ReadFailure failure = new ReadFailure(ReadFailure.Reason.CLOSED, "filesystem is closing");
        for (CompletableFuture<?> w : waits) {
            w.completeExceptionally(failure);
        }
    }

    private void ensureVerified(PieceRange pieces, long deadline, BooleanSupplier cancelled)
            throws ReadFailure {
        int firstMissing = -1;
        int lastMissing = -1;
        for (int p = pieces.first(); p < pieces.end(); p++) {
            if (!source.isVerified(p)) {
                if (firstMissing < 0) {
                    firstMissing = p;
                }
                lastMissing = p;
            }
        }
        if (firstMissing < 0) {
            return;
        }
        failFastAfterRecentTimeout(firstMissing, lastMissing);
        // A fresh owner per blocked read: concurrent reads must not replace each other's wish.
        Object owner = new Object();
        // needed since now: blocked reads are served in the order they began to wait
        source.want(owner, new PieceRange(firstMissing, lastMissing + 1), Priority.NOW, System.nanoTime());
        int waitingFor = firstMissing;
        try {
            for (int p = firstMissing; p <= lastMissing; p++) {
                if (!source.isVerified(p)) {
                    waitingFor = p;
                    await(source.whenVerified(p), deadline, cancelled, p);
                }
            }
        } catch (ReadFailure f) {
            if (f.reason() == ReadFailure.Reason.TIMEOUT) {
                noteTimeout(waitingFor);
            }
            throw f;
        } finally {
            source.forget(owner);
        }
    }

    private void failFastAfterRecentTimeout(int first, int last) throws ReadFailure {
        if (recentTimeouts.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        for (int p = first; p <= last; p++) {
            Long at = recentTimeouts.get(p);
            if (at != null && now - at < RETIMEOUT_GRACE_NANOS && !source.isVerified(p)) {
                throw new ReadFailure(ReadFailure.Reason.TIMEOUT,
                        "piece " + p + " did not arrive within the read timeout");
            }
        }
    }

    private void noteTimeout(int piece) {
        long now = System.nanoTime();
        if (recentTimeouts.size() > 256) {
            recentTimeouts.values().removeIf(at -> now - at >= RETIMEOUT_GRACE_NANOS);
        }
        recentTimeouts.put(piece, now);
    }

    private <T> T await(CompletableFuture<T> future, long deadline, BooleanSupplier cancelled, int piece)
            throws ReadFailure {
        if (future.isDone()) {
            return join(future, piece);
        }
        CompletableFuture<T> wait = new CompletableFuture<>();
        future.whenComplete((v, e) -> {
            if (e == null) {
                wait.complete(v);
            } else {
                wait.completeExceptionally(e);
            }
        });
        waits.add(wait);
        try {
            if (closed) {
                throw closedFailure();
            }
            BeforeWait.aboutToWait();
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new ReadFailure(ReadFailure.Reason.TIMEOUT,
                            "piece " + piece + " did not arrive within the read timeout");
                }
                try {
                    return wait.get(Math.min(left, CANCEL_POLL_NANOS), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    if (cancelled.getAsBoolean()) {
                        throw new ReadFailure(ReadFailure.Reason.INTERRUPTED, "read interrupted");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ReadFailure(ReadFailure.Reason.INTERRUPTED, "read interrupted", e);
                } catch (ExecutionException | CancellationException e) {
                    throw failureOf(e, piece);
                }
            }
        } finally {
            waits.remove(wait);
            future.cancel(false); // given up (or done: a no-op); the source need not keep it
        }
    }

    private static <T> T join(CompletableFuture<T> future, int piece) throws ReadFailure {
        try {
            return future.join();
        } catch (CompletionException | CancellationException e) {
            throw failureOf(e, piece);
        }
    }

    private static ReadFailure failureOf(Exception e, int piece) {
        Throwable cause = e instanceof CancellationException ? e : e.getCause();
        if (cause instanceof ReadFailure rf) {
            return rf;
        }
        if (cause instanceof CancellationException) {
            return closedFailure();
        }
        return new ReadFailure(ReadFailure.Reason.IO, "reading piece " + piece + ": " + cause, cause);
    }

    private static ReadFailure closedFailure() {
        return new ReadFailure(ReadFailure.Reason.CLOSED, "filesystem is closing");
    }

    private void checkOpen() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("reader is closed");
        }
    }
}
