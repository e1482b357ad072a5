package torfs.session;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import torfs.geometry.Bitfield;
import torfs.geometry.PieceRange;

/**
 * Hashes the pieces already on disk while the session runs, so that a start over data that was
 * never checked (another client's, or ours after a kill -9) neither holds the first announce nor
 * makes every read wait for the whole check: before, a read waited until every piece had been
 * hashed, and failed with EIO once that took longer than the read timeout.
 *
 * <p>Pieces go in index order on {@code threads} threads, except that a reader's pieces
 * ({@link #prefer}) jump the queue: a read of a piece on disk is answered once that one piece is
 * hashed, and one that is not there goes to the peers at once. Each verdict goes to the
 * {@link Verdicts} on the hashing thread; {@code done} runs once, after the last verdict, also
 * after {@link #stop} (with {@code finished} false) and after a read error.
 */
final class BackgroundCheck {
    /** Where the verdicts go; called on a hashing thread. */
    interface Verdicts {
        /** The piece's bytes on disk have its hash ({@code ok}), or not: it must be fetched. */
        void checked(int piece, boolean ok);

        /** The check ended; {@code finished} when every piece got its verdict. */
        void done(boolean finished);
    }

    /** Hashes one piece; true when its bytes on disk are right. */
    interface Hasher {
        boolean verify(int piece) throws IOException;
    }

    private static final System.Logger LOG = System.getLogger(BackgroundCheck.class.getName());

    private final Hasher hasher;
    private final Verdicts verdicts;
    private final int threads;
    private final String name;
    /** Pieces not yet taken by a thread; guarded by {@code this}. */
    private final Bitfield pending;
    /** Reader's pieces to take first; guarded by {@code this}. */
    private final Deque<Integer> preferred = new ArrayDeque<>();
    /** Where the in-order walk goes on; guarded by {@code this}. */
    private int cursor;
    private int left;
    private volatile boolean stopped;
    private final AtomicInteger running = new AtomicInteger();
    private volatile boolean failed;

    /**
     * @param toCheck pieces to hash (copied)
     * @param name    the torrent's name, for the line a read error logs
     */
    BackgroundCheck(Bitfield toCheck, int threads, String name, Hasher hasher, Verdicts verdicts) {
        this.pending = toCheck.copy();
        this.left = pending.cardinality();
        this.threads = Math.max(1, threads);
        this.name = name;
        this.hasher = hasher;
        this.verdicts = verdicts;
    }

    /** Starts the hashing threads ({@code done} runs at once when there is nothing to check). */
    void start() {
        int n;
        synchronized (this) {
            n = Math.min(threads, left);
        }
        if (n == 0) {
            verdicts.done(true);
            return;
        }
        running.set(n);
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(this::work, "torfs-check");
            t.setDaemon(true);
            t.start();
        }
    }

    /** A reader wants these pieces: those still pending are hashed next, the first one first. */
    synchronized void prefer(PieceRange r) {
        for (int p = r.end() - 1; p >= r.first(); p--) {
            if (pending.get(p)) {
                preferred.remove(p);
                preferred.addFirst(p);
            }
        }
    }

    /** True while the piece waits for its hash. */
    synchronized boolean isPending(int piece) {
        return pending.get(piece);
    }

    /** Pieces still waiting for their verdict. */
    synchronized int left() {
        return left;
    }

    /** The pieces no thread took (a check that stopped or failed), now no longer pending. */
    synchronized Bitfield takeRemaining() {
        Bitfield out = pending.copy();
        for (int p = pending.nextSet(0); p >= 0; p = pending.nextSet(p + 1)) {
            pending.clear(p);
        }
        left = 0;
        preferred.clear();
        return out;
    }

    /** Ends the check after the pieces being hashed now; their verdicts still come. */
    void stop() {
        stopped = true;
    }

    private void work() {
        try {
            for (int p = take(); p >= 0; p = take()) {
                boolean ok;
                try {
                    ok = hasher.verify(p);
                } catch (IOException e) {
                    if (!stopped) {
                        LOG.log(System.Logger.Level.WARNING, name + ": cannot read its data to check it: "
                                + e.getMessage() + "; the pieces not checked yet are fetched again");
                    }
                    failed = true;
                    verdicts.checked(p, false);
                    continue;
                }
                verdicts.checked(p, ok);
            }
        } finally {
            if (running.decrementAndGet() == 0) {
                verdicts.done(!stopped && !failed && left() == 0);
            }
        }
    }

    /** The next piece to hash, or -1 when done or stopped. */
    private synchronized int take() {
        if (stopped || failed) {
            return -1;
        }
        int p = -1;
        while (p < 0 && !preferred.isEmpty()) {
            int first = preferred.pollFirst();
            p = pending.get(first) ? first : -1; // the in-order walk may have taken it since
        }
        if (p < 0) {
            p = pending.nextSet(cursor);
            if (p < 0) {
                return -1;
            }
            cursor = p + 1;
        }
        pending.clear(p);
        left--;
        return p;
    }
}
