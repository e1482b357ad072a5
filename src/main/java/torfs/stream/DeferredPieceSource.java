package torfs.stream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import torfs.geometry.Bitfield;
import torfs.geometry.PieceGeometry;
import torfs.geometry.PieceRange;
import torfs.metainfo.Torrent;
import torfs.picker.Priority;
import torfs.session.PieceSource;

/**
 * A {@link PieceSource} that is still starting: the filesystem can mount while the session
 * binds its port and checks the data. Until the real source arrives nothing is verified, wishes
 * are remembered (the latest per owner) and replayed on arrival, and {@link #whenVerified}
 * futures wait for it; a reader's own deadline bounds every such wait. If the start fails the
 * waits fail with its cause. Closing before arrival closes the source as soon as it arrives.
 */
public final class DeferredPieceSource implements PieceSource {
    private record Wish(PieceRange range, Priority priority, long deadlineNanos, long nanosPerPiece) {
    }

    private final Torrent torrent;
    private final PieceGeometry geometry;
    private final CompletableFuture<PieceSource> started = new CompletableFuture<>();
    /** Wishes made before the source arrived; guarded by {@code this}. */
    private final Map<Object, Wish> pending = new LinkedHashMap<>();
    private volatile PieceSource delegate;
    private boolean closed; // guarded by this

    public DeferredPieceSource(Torrent torrent) {
        this.torrent = torrent;
        this.geometry = PieceGeometry.of(torrent);
    }

    /** Hands over the started source: pending wishes go to it, waiting reads proceed. */
    public void started(PieceSource source) {
        boolean closeIt;
        synchronized (this) {
            closeIt = closed;
            if (!closeIt) {
                pending.forEach((owner, w) -> source.want(owner, w.range(), w.priority(), w.deadlineNanos(),
                        w.nanosPerPiece()));
                pending.clear();
                delegate = source;
            }
        }
        if (closeIt) {
            source.close();
            return;
        }
        started.complete(source);
    }

    /** The start failed: waiting and later reads fail with {@code cause}. */
    public void failed(Throwable cause) {
        started.completeExceptionally(cause);
    }

    /** Completes with the started source (or fails like the start did). */
    public CompletableFuture<PieceSource> whenStarted() {
        return started;
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
        PieceSource d = delegate;
        return d != null && d.isVerified(piece);
    }

    @Override
    public boolean tryLease(int piece) {
        PieceSource d = delegate;
        return d != null && d.tryLease(piece);
    }

    @Override
    public void release(int piece) {
        PieceSource d = delegate; // set once: the one that granted the lease
        if (d != null) {
            d.release(piece);
        }
    }

    @Override
    public Bitfield verifiedSnapshot() {
        PieceSource d = delegate;
        return d != null ? d.verifiedSnapshot() : new Bitfield(geometry.pieceCount());
    }

    @Override
    public CompletableFuture<Void> whenVerified(int piece) {
        PieceSource d = delegate;
        if (d != null) {
            return d.whenVerified(piece);
        }
        CompletableFuture<Void> own = new CompletableFuture<>();
        started.whenComplete((s, failure) -> {
            if (failure != null) {
                own.completeExceptionally(failure);
            } else if (!own.isDone()) { // not given up before the start
                CompletableFuture<Void> real = s.whenVerified(piece);
                real.whenComplete((v, e) -> {
                    if (e == null) {
                        own.complete(v);
                    } else {
                        own.completeExceptionally(e);
                    }
                });
                own.whenComplete((v, e) -> real.cancel(false)); // a read that gives up lets go of both
            }
        });
        return own;
    }

    @Override
    public void want(Object owner, PieceRange range, Priority priority, long deadlineNanos, long nanosPerPiece) {
        PieceSource d;
        synchronized (this) {
            d = delegate;
            if (d == null) {
                if (!closed) {
                    pending.put(owner, new Wish(range, priority, deadlineNanos, nanosPerPiece));
                }
                return;
            }
        }
        d.want(owner, range, priority, deadlineNanos, nanosPerPiece);
    }

    @Override
    public void forget(Object owner) {
        PieceSource d;
        synchronized (this) {
            d = delegate;
            if (d == null) {
                pending.remove(owner);
                return;
            }
        }
        d.forget(owner);
    }

    @Override
    public int readVerified(long offset, ByteBuffer dst) throws IOException {
        PieceSource d = delegate;
        if (d == null) {
            throw new IOException("the torrent session has not started");
        }
        return d.readVerified(offset, dst);
    }

    @Override
    public void close() {
        PieceSource d;
        synchronized (this) {
            closed = true;
            pending.clear();
            d = delegate;
        }
        if (d != null) {
            d.close();
        } else {
            started.completeExceptionally(new CancellationException("source closed before it started"));
        }
    }
}
