package torfs.session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import torfs.geometry.Bitfield;
import torfs.geometry.PieceGeometry;
import torfs.geometry.PieceRange;
import torfs.metainfo.Torrent;
import torfs.picker.Priority;

/**
 * What the read path needs from a running torrent: which pieces are verified, a way to ask for
 * missing ones with a priority and deadline, and reads of verified bytes. Implemented by the
 * downloading session and by a store-only source for complete data. Thread-safe: called from
 * FUSE threads, which never touch session state directly.
 */
public interface PieceSource extends AutoCloseable {
    Torrent torrent();

    PieceGeometry geometry();

    boolean isVerified(int piece);

    /** A copy of the verified set, for progress reporting (xattrs, st_blocks, statfs). */
    Bitfield verifiedSnapshot();

    /**
     * Completes when {@code piece} is verified and stored (at once if it already is). Fails with
     * {@link java.util.concurrent.CancellationException} when the source closes. Does not by
     * itself change priorities. Each call returns a future of the caller's own: a caller that
     * stops waiting (a read that timed out) cancels it, so the source need not keep it.
     */
    CompletableFuture<Void> whenVerified(int piece);

    /**
     * Sets the priority an owner (an open file handle, a blocked read) wants for a range; the
     * effective priority of a piece is the highest any owner asks for, or the default. A
     * later call from the same owner replaces its earlier wish. {@code deadlineNanos} is on
     * the {@link System#nanoTime()} clock: when the owner needs the pieces (NOW: a read waits
     * since then; READAHEAD: the reader will get there then); other priorities ignore it.
     */
    default void want(Object owner, PieceRange range, Priority priority, long deadlineNanos) {
        want(owner, range, priority, deadlineNanos, 0);
    }

    /**
     * As {@link #want(Object, PieceRange, Priority, long)} with graded deadlines: the range's
     * first piece is needed by {@code deadlineNanos}, each further piece {@code nanosPerPiece}
     * later (a reader reaches the far end of its readahead window later than the near end).
     */
    void want(Object owner, PieceRange range, Priority priority, long deadlineNanos, long nanosPerPiece);

    /** Drops every wish of {@code owner}. */
    void forget(Object owner);

    /**
     * Holds {@code piece} on disk until {@link #release}: true when it is verified now. A
     * capped cache may evict a verified piece at any time, so a reader leases the pieces it
     * copies from instead of checking and then reading. Without a cap, just the check.
     */
    default boolean tryLease(int piece) {
        return isVerified(piece);
    }

    /** Ends a lease taken by {@link #tryLease}. */
    default void release(int piece) {
    }

    /**
     * Reads verified bytes at global offset {@code offset} into {@code dst}; the caller
     * guarantees that every piece touched is verified (it holds their leases).
     */
    int readVerified(long offset, ByteBuffer dst) throws IOException;

    /** Stops the source; pending {@link #whenVerified} futures fail. */
    @Override
    void close();
}
