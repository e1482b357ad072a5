package torfs.session;

import io.netty.channel.EventLoop;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import torfs.geometry.Bitfield;
import torfs.geometry.PieceGeometry;
import torfs.geometry.PieceRange;
import torfs.storage.HolePunch;
import torfs.storage.PieceCache;

/**
 * One torrent's part of a capped mount's piece cache at work: its {@link PieceCache.Part} behind
 * the {@link CacheBudget}'s lock, shared with the readers' leases of every torrent of the mount,
 * so "is it verified" and "hold it" are one step and an eviction cannot slip between them. When
 * a stored piece (of this torrent or another) pushes the budget over its cap, the victims'
 * verified bits are cleared at once (new reads and uploads wait or are refused from then on),
 * their owner's loop hears it (peers get DONT_HAVE), their blocks are punched out on a disk
 * thread after {@link ResumeSaves} made sure the saved state does not claim them, and only then
 * does the loop hear that they are gone (so the picker cannot fetch a piece again before the
 * old punch has run and would destroy the new copy). Until their punch has run, their bytes are
 * still on disk: the picker starts no piece that would not fit beside them ({@link
 * #mayStartPiece}), and tries again when they are gone.
 */
final class CacheEviction implements PieceLeases {
    private static final System.Logger LOG = System.getLogger(CacheEviction.class.getName());

    private final CacheBudget budget;
    private final PieceCache.Part part;
    private final ConcurrentBits verified;
    private final HolePunch punch;
    private final ResumeSaves saves;
    private final DiskPool disk;
    private final AtomicInteger diskTasks;
    private final EventLoop loop;
    private final Consumer<List<Integer>> evicted;
    private final IntConsumer gone;
    private final Runnable retryStarts;
    /** Guarded by the budget: a piece's start was refused since the last punch. */
    private boolean startRefused;
    private boolean warned;

    /**
     * @param evicted called on the loop with pieces just evicted (verified bits clear, punch queued)
     * @param gone    called on the loop for each evicted piece once its blocks are punched out
     * @param retryStarts called on the loop when punches (of any torrent of the mount) may have
     *                    made the room a refused start wanted
     */
    CacheEviction(CacheBudget budget, PieceGeometry geometry, ConcurrentBits verified, HolePunch punch,
                  ResumeSaves saves, DiskPool disk, AtomicInteger diskTasks, EventLoop loop,
                  Consumer<List<Integer>> evicted, IntConsumer gone, Runnable retryStarts) {
        this.budget = budget;
        this.verified = verified;
        this.punch = punch;
        this.saves = saves;
        this.disk = disk;
        this.diskTasks = diskTasks;
        this.loop = loop;
        this.evicted = evicted;
        this.gone = gone;
        this.retryStarts = retryStarts;
        this.part = budget.join(geometry, this);
        saves.capped();
    }

    @Override
    public boolean tryLease(int piece) {
        return lease(piece, true);
    }

    @Override
    public boolean tryLeaseToUpload(int piece) {
        return lease(piece, false);
    }

    private boolean lease(int piece, boolean reader) {
        synchronized (budget) {
            if (!verified.get(piece)) {
                return false;
            }
            part.pin(piece);
            if (reader) {
                part.read(piece);
            } else {
                part.touch(piece);
            }
            return true;
        }
    }

    /** What this torrent's evictions cost so far. */
    PieceCache.Refetches refetches() {
        synchronized (budget) {
            return part.refetches();
        }
    }

    @Override
    public void release(int piece) {
        synchronized (budget) {
            part.unpin(piece);
        }
    }

    /** A reader's window or a blocked read: kept while {@code owner} wants it. */
    void protect(Object owner, PieceRange range) {
        synchronized (budget) {
            part.protect(owner, range);
        }
    }

    void unprotect(Object owner) {
        synchronized (budget) {
            part.unprotect(owner);
        }
    }

    /**
     * On the loop, before the picker starts downloading a piece: does it fit, with this
     * torrent's pieces being downloaded needing {@code downloadingBytes} then, beside the
     * evicted pieces not yet punched out? When not, {@code retryStarts} runs after the next punch.
     */
    boolean mayStartPiece(long downloadingBytes) {
        synchronized (budget) {
            if (part.mayStart(downloadingBytes)) {
                return true;
            }
            startRefused = true;
            return false;
        }
    }

    /** Under the budget's lock: whether a start was refused since the last call; clears it. */
    boolean takeRefused() {
        boolean r = startRefused;
        startRefused = false;
        return r;
    }

    /** Punches made room: a refused start is tried again, on the loop (none left: nothing to try). */
    void roomFreed() {
        try {
            loop.execute(retryStarts);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the client is closing
        }
    }

    /** Under the budget's lock: the budget chose {@code piece} of this torrent. */
    void clearVerified(int piece) {
        verified.clear(piece);
    }

    /**
     * On the loop: {@code piece} was verified and stored; pieces of any torrent of the mount
     * that no longer fit go (each torrent's loop hears of its own).
     *
     * @param reserveBytes bytes of this torrent's pieces being downloaded, which will need room too
     */
    void stored(int piece, long reserveBytes) {
        evictAfter(() -> {
            part.add(piece);
            part.reserve(reserveBytes);
        }, piece);
    }

    /** On the loop: evicts what no longer fits with {@code reserveBytes} kept free (a window grew). */
    void trim(long reserveBytes) {
        evictAfter(() -> part.reserve(reserveBytes), -1);
    }

    /** On the loop, at start: the pieces found on disk enter the budget as its oldest; the excess goes. */
    void fill(Bitfield have) {
        List<Integer> found = new ArrayList<>();
        for (int p = have.nextSet(0); p >= 0; p = have.nextSet(p + 1)) {
            found.add(p);
        }
        evictAfter(() -> part.addFound(found), -1);
    }

    /**
     * Applies {@code change} to this torrent's part and gives up what no longer fits (never
     * {@code keep}, -1 for none), all under the budget's lock; each torrent then hears of its own.
     */
    private void evictAfter(Runnable change, int keep) {
        Map<CacheEviction, List<Integer>> out;
        synchronized (budget) {
            change.run();
            out = budget.clear(part.evict(keep));
        }
        out.forEach(CacheEviction::lost);
    }

    /**
     * At start, before anything downloads: whatever is on disk outside the verified pieces
     * (after a kill -9, pieces its last state no longer claimed and half-downloaded ones) is
     * punched out, or it would hold room the cap does not count. A run of pieces a call.
     */
    void punchUnverified(Bitfield have) {
        int n = have.size();
        for (int p = have.nextClear(0); p >= 0; ) {
            int end = have.nextSet(p);
            end = end < 0 ? n : end;
            try {
                punch.punchRun(p, end);
            } catch (IOException | RuntimeException e) {
                warnOnce("could not give unverified data back to the disk: " + e.getMessage());
                return;
            }
            p = end >= n ? -1 : have.nextClear(end);
        }
    }

    /** The torrent stops: its pieces leave the budget (they stay on disk, no longer counted). */
    void leave() {
        budget.leave(part);
    }

    /** On the loop: {@code pieces} are gone; BEP 54 to peers that speak it (the rest get REJECT or a choke). */
    static void tellPeers(java.util.Collection<torfs.peer.PeerConnection> peers, List<Integer> pieces) {
        for (torfs.peer.PeerConnection p : peers) {
            pieces.forEach(p::sendDontHave);
            if (!pieces.isEmpty()) {
                p.channel().flush();
            }
        }
    }

    /** Pieces of this torrent the budget gave up (bits already clear): tell the loop, punch them. */
    private void lost(List<Integer> pieces) {
        loop.execute(() -> evicted.accept(pieces));
        diskTasks.incrementAndGet();
        disk.executor().execute(() -> {
            try {
                saves.beforePunch(pieces);
                for (int p : pieces) {
                    punch.punch(p);
                }
            } catch (IOException | RuntimeException e) {
                warnOnce("could not give evicted pieces back to the disk: " + e.getMessage());
            } finally {
                budget.punched(part, pieces); // a failed punch must not hold starts up for ever
                loop.execute(() -> pieces.forEach(gone::accept));
            }
            try {
                saves.afterPunch();
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "resume save after a punch: " + e);
            } finally {
                diskTasks.decrementAndGet();
            }
        });
    }

    private synchronized void warnOnce(String line) {
        if (!warned) {
            warned = true;
            LOG.log(System.Logger.Level.WARNING, line);
        }
    }
}
