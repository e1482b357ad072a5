package torfs.stream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import torfs.geometry.Bitfield;
import torfs.geometry.PieceGeometry;
import torfs.geometry.PieceRange;
import torfs.metainfo.Torrent;
import torfs.picker.Priority;
import torfs.session.PieceSource;

/**
 * An in-memory PieceSource for tests: bytes from {@link TestTorrents#byteAt}, pieces verified on
 * command ({@link #verify}) or, with {@link #serveNowAfter}, a fixed delay after a NOW wish.
 * Records wishes and store reads; serving an unverified byte throws, so such a bug fails tests.
 */
public final class FakePieceSource implements PieceSource {
    public record Wish(PieceRange range, Priority priority, long deadlineNanos, long nanosPerPiece) {
    }

    private final Torrent torrent;
    private final PieceGeometry geometry;
    private final Bitfield verified;
    private final Map<Integer, CompletableFuture<Void>> futures = new ConcurrentHashMap<>();
    private final Map<Object, Wish> wishes = new ConcurrentHashMap<>();
    /** Every future whenVerified handed out: each caller gets its own, as from the session. */
    private final List<CompletableFuture<Void>> handedOut = new CopyOnWriteArrayList<>();
    private final List<Wish> wantLog = new CopyOnWriteArrayList<>();
    private final AtomicIntegerArray storeReads;
    private final AtomicInteger forgets = new AtomicInteger();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-source-timer");
        t.setDaemon(true);
        return t;
    });
    /** Leases held per piece; guarded by {@code verified}. */
    private final int[] leases;
    /** Once anything was evicted, every store read must be covered by a lease. */
    private volatile boolean evicting;
    private volatile long serveNowDelayMillis = -1;
    private volatile boolean closed;

    public FakePieceSource(Torrent torrent) {
        this.torrent = torrent;
        this.geometry = PieceGeometry.of(torrent);
        this.verified = new Bitfield(geometry.pieceCount());
        this.storeReads = new AtomicIntegerArray(geometry.pieceCount());
        this.leases = new int[geometry.pieceCount()];
    }

    public static FakePieceSource complete(Torrent torrent) {
        FakePieceSource s = new FakePieceSource(torrent);
        s.verifyAll();
        return s;
    }

    /** Pieces asked for with NOW become verified {@code millis} after the wish. */
    public FakePieceSource serveNowAfter(long millis) {
        this.serveNowDelayMillis = millis;
        return this;
    }

    public void verify(int piece) {
        synchronized (verified) {
            verified.set(piece);
        }
        futureOf(piece).complete(null);
    }

    public void verifyAll() {
        for (int p = 0; p < geometry.pieceCount(); p++) {
            verify(p);
        }
    }

    /**
     * A capped cache's eviction: the piece stops being verified unless a lease holds it.
     *
     * @return false when it was leased or not verified
     */
    public boolean evict(int piece) {
        synchronized (verified) {
            if (leases[piece] > 0 || !verified.get(piece)) {
                return false;
            }
            evicting = true;
            verified.clear(piece);
            futures.remove(piece); // later waits wait for the piece to be fetched again
        }
        // as the session re-applies wishes for a lost piece: a blocked read's NOW wish fetches it again
        long delay = serveNowDelayMillis;
        boolean wanted = wishes.values().stream()
                .anyMatch(w -> w.priority() == Priority.NOW && w.range().contains(piece));
        if (wanted && delay >= 0 && !closed) {
            timer.schedule(() -> verify(piece), delay, TimeUnit.MILLISECONDS);
        }
        return true;
    }

    @Override
    public boolean tryLease(int piece) {
        synchronized (verified) {
            if (!verified.get(piece)) {
                return false;
            }
            leases[piece]++;
            return true;
        }
    }

    @Override
    public void release(int piece) {
        synchronized (verified) {
            if (--leases[piece] < 0) {
                throw new IllegalStateException("piece " + piece + " released more often than leased");
            }
        }
    }

    public int leases(int piece) {
        synchronized (verified) {
            return leases[piece];
        }
    }

    public Map<Object, Wish> wishes() {
        return Map.copyOf(wishes);
    }

    public List<Wish> wantLog() {
        return List.copyOf(wantLog);
    }

    /** The highest priority any owner wants for {@code piece}, NONE when nobody does. */
    public Priority effectivePriority(int piece) {
        Priority best = Priority.NONE;
        for (Wish w : wishes.values()) {
            if (w.range().contains(piece) && w.priority().compareTo(best) > 0) {
                best = w.priority();
            }
        }
        return best;
    }

    public int storeReads(int piece) {
        return storeReads.get(piece);
    }

    public int forgets() {
        return forgets.get();
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public Torrent torrent() {
        return torrent;
    }

    @Override
    public PieceGeometry geometry() {
        return geometry;
    }

    @Override
    public boolean isVerified(int piece) {
        synchronized (verified) {
            return verified.get(piece);
        }
    }

    @Override
    public Bitfield verifiedSnapshot() {
        synchronized (verified) {
            return verified.copy();
        }
    }

    @Override
    public CompletableFuture<Void> whenVerified(int piece) {
        if (closed) {
            return CompletableFuture.failedFuture(new CancellationException("closed"));
        }
        CompletableFuture<Void> own = futureOf(piece).copy();
        handedOut.add(own);
        return own;
    }

    /** The futures {@link #whenVerified} handed out that are still pending (not completed nor cancelled). */
    public long pendingWaits() {
        return handedOut.stream().filter(f -> !f.isDone()).count();
    }

    @Override
    public void want(Object owner, PieceRange range, Priority priority, long deadlineNanos, long nanosPerPiece) {
        Wish w = new Wish(range, priority, deadlineNanos, nanosPerPiece);
        wishes.put(owner, w);
        wantLog.add(w);
        long delay = serveNowDelayMillis;
        if (priority == Priority.NOW && delay >= 0 && !closed) {
            timer.schedule(() -> {
                for (int p = range.first(); p < range.end(); p++) {
                    verify(p);
                }
            }, delay, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void forget(Object owner) {
        forgets.incrementAndGet();
        wishes.remove(owner);
    }

    @Override
    public int readVerified(long offset, ByteBuffer dst) throws IOException {
        int n = (int) Math.min(dst.remaining(), geometry.totalLength() - offset);
        PieceRange pieces = geometry.piecesOf(offset, n);
        for (int p = pieces.first(); p < pieces.end(); p++) {
            if (!isVerified(p)) {
                throw new IOException("unverified piece " + p + " read");
            }
            if (evicting && leases(p) == 0) {
                throw new IOException("piece " + p + " read without a lease while pieces are evicted");
            }
            storeReads.incrementAndGet(p);
        }
        for (int i = 0; i < n; i++) {
            dst.put(TestTorrents.byteAt(offset + i));
        }
        return n;
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        for (int p = 0; p < geometry.pieceCount(); p++) {
            CompletableFuture<Void> f = futures.get(p);
            if (f != null) {
                f.completeExceptionally(new CancellationException("source closed"));
            }
        }
    }

    private CompletableFuture<Void> futureOf(int piece) {
        return futures.computeIfAbsent(piece, p -> {
            CompletableFuture<Void> f = new CompletableFuture<>();
            if (isVerified(p)) {
                f.complete(null);
            }
            return f;
        });
    }
}
