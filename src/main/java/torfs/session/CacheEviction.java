package torfs.session;

import io.netty.channel.EventLoop;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import torfs.geometry.Bitfield;
import torfs.geometry.PieceGeometry;
import torfs.geometry.PieceRange;
import torfs.storage.HolePunch;
import torfs.storage.PieceCache;

/**
 * A capped mount's piece cache at work: the {@link PieceCache} policy behind one lock shared
 * with the readers' leases, so "is it verified" and "hold it" are one step and an eviction
 * cannot slip between them. When a stored piece pushes the cache over its cap, the victims'
 * verified bits are cleared at once (new reads and uploads wait or are refused from then on),
 * their blocks are punched out on a disk thread after {@link ResumeSaves} made sure the saved
 * state does not claim them, and only then does the loop hear that they are gone (so the picker
 * cannot fetch a piece again before the old punch has run and would destroy the new copy).
 */
final class CacheEviction implements PieceLeases {
    private static final System.Logger LOG = System.getLogger(CacheEviction.class.getName());

    private final PieceCache cache;
    private final ConcurrentBits verified;
    private final HolePunch punch;
    private final ResumeSaves saves;
    private final DiskPool disk;
    private final AtomicInteger diskTasks;
    private final EventLoop loop;
    private final IntConsumer gone;
    private boolean warned;

    /**
     * @param gone called on the loop for each evicted piece once its blocks are punched out
     */
    CacheEviction(PieceGeometry geometry, long capacity, ConcurrentBits verified, HolePunch punch,
                  ResumeSaves saves, DiskPool disk, AtomicInteger diskTasks, EventLoop loop, IntConsumer gone) {
        this.cache = new PieceCache(geometry, capacity);
        this.verified = verified;
        this.punch = punch;
        this.saves = saves;
        this.disk = disk;
        this.diskTasks = diskTasks;
        this.loop = loop;
        this.gone = gone;
    }

    @Override
    public synchronized boolean tryLease(int piece) {
        if (!verified.get(piece)) {
            return false;
        }
        cache.pin(piece);
        cache.touch(piece);
        return true;
    }

    @Override
    public synchronized void release(int piece) {
        cache.unpin(piece);
    }

    /** A reader's window or a blocked read: kept while {@code owner} wants it. */
    synchronized void protect(Object owner, PieceRange range) {
        cache.protect(owner, range);
    }

    synchronized void unprotect(Object owner) {
        cache.unprotect(owner);
    }

    /**
     * On the loop: {@code piece} was verified and stored. Returns the pieces it pushed out
     * (their verified bits already clear; their punch queued).
     *
     * @param reserveBytes bytes of pieces being downloaded, which will need room too
     */
    List<Integer> stored(int piece, long reserveBytes) {
        List<Integer> out;
        synchronized (this) {
            cache.add(piece);
            out = cache.evict(reserveBytes, piece);
            out.forEach(verified::clear);
        }
        punchLater(out);
        return out;
    }

    /** On the loop: evicts what no longer fits with {@code reserveBytes} kept free (a window grew). */
    List<Integer> trim(long reserveBytes) {
        List<Integer> out;
        synchronized (this) {
            out = cache.evict(reserveBytes, -1);
            out.forEach(verified::clear);
        }
        punchLater(out);
        return out;
    }

    /** On the loop, at start: the pieces found on disk enter the cache; the excess goes. */
    List<Integer> fill(Bitfield have) {
        List<Integer> out;
        synchronized (this) {
            for (int p = have.nextSet(0); p >= 0; p = have.nextSet(p + 1)) {
                cache.add(p);
            }
            out = cache.evict(0, -1);
            out.forEach(verified::clear);
        }
        punchLater(out);
        return out;
    }

    private void punchLater(List<Integer> pieces) {
        if (pieces.isEmpty()) {
            return;
        }
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
                diskTasks.decrementAndGet();
                loop.execute(() -> pieces.forEach(gone::accept));
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
