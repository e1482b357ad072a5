package torfs.session;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import torfs.geometry.PieceRange;
import torfs.picker.PiecePicker;
import torfs.picker.Priority;

/**
 * Who wants which pieces how urgently: each owner (a file handle, a blocked read) holds one
 * wish; a piece's priority in the picker is the highest wish covering it, with the earliest
 * deadline among equals (the wish's deadline grows by {@code nanosPerPiece} along its range:
 * a reader needs the far end of its readahead window later than the near one), or the
 * picker's default when none does. A readahead wish its owner has not renewed for
 * {@link #STALE_NANOS} (a paused player) is no longer time-critical: it drops to HIGH until the
 * owner reads again. Confined to the torrent's loop.
 */
final class Wishes {
    /** A readahead wish older than this belongs to a reader that stopped reading. */
    static final long STALE_NANOS = 5_000_000_000L;

    record Wish(PieceRange range, Priority priority, long deadlineNanos, long nanosPerPiece, long issuedNanos) {
        Wish(PieceRange range, Priority priority, long deadlineNanos) {
            this(range, priority, deadlineNanos, 0, deadlineNanos);
        }

        long deadlineOf(int piece) {
            return deadlineNanos + (long) (piece - range.first()) * nanosPerPiece;
        }

        /** True when this wish decides {@code piece} over {@code other}. */
        boolean beats(Wish other, int piece) {
            int c = priority.compareTo(other.priority);
            return c > 0 || (c == 0 && deadlineOf(piece) - other.deadlineOf(piece) < 0);
        }
    }

    private final Map<Object, Wish> byOwner = new IdentityHashMap<>();

    void set(Object owner, Wish wish, PiecePicker picker) {
        Wish old = byOwner.put(owner, wish);
        if (old != null) {
            apply(old.range(), picker);
        }
        apply(wish.range(), picker);
    }

    void remove(Object owner, PiecePicker picker) {
        Wish old = byOwner.remove(owner);
        if (old != null) {
            apply(old.range(), picker);
        }
    }

    /** Re-applies the wishes covering {@code piece} (a piece we lost is wanted again by them). */
    void reapply(int piece, PiecePicker picker) {
        apply(new PieceRange(piece, piece + 1), picker);
    }

    int size() {
        return byOwner.size();
    }

    /** Readahead wishes not renewed for {@link #STALE_NANOS} drop to HIGH. */
    void demoteStale(long now, PiecePicker picker) {
        for (Map.Entry<Object, Wish> e : List.copyOf(byOwner.entrySet())) {
            Wish w = e.getValue();
            if (w.priority() == Priority.READAHEAD && now - w.issuedNanos() > STALE_NANOS) {
                set(e.getKey(), new Wish(w.range(), Priority.HIGH, 0, 0, w.issuedNanos()), picker);
            }
        }
    }

    /** Recomputes the effective priority of every piece in {@code r}, in runs of one winning wish. */
    private void apply(PieceRange r, PiecePicker picker) {
        int runStart = r.first();
        Wish runWish = null;
        for (int p = r.first(); p <= r.end(); p++) {
            Wish winner = null;
            if (p < r.end()) {
                for (Wish w : byOwner.values()) {
                    if (w.range().contains(p) && (winner == null || w.beats(winner, p))) {
                        winner = w;
                    }
                }
            }
            if (p == r.end() || p == r.first() || winner != runWish) {
                if (p > runStart) {
                    PieceRange run = new PieceRange(runStart, p);
                    if (runWish == null) {
                        picker.clearPriority(run);
                    } else {
                        picker.setPriority(run, runWish.priority(), runWish.deadlineOf(runStart),
                                runWish.nanosPerPiece());
                    }
                }
                runStart = p;
                runWish = winner;
            }
        }
    }
}
