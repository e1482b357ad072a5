package torfs.storage;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import torfs.geometry.PieceGeometry;
import torfs.geometry.PieceRange;

/**
 * Which verified pieces a capped mount keeps on disk, and which to give up when a new one must
 * be stored: the least recently read pieces that nobody holds. What it tracks:
 * <ul>
 * <li>the resident pieces and their bytes (the cache's fill, checked against its capacity);</li>
 * <li>for each resident piece, when it was last stored or read (a clock of its own);</li>
 * <li>pins: a count per piece of reads copying from it and uploads reading a block of it;</li>
 * <li>protected ranges: each open reader's readahead window and each blocked read, by owner.</li>
 * </ul>
 * A pinned or protected piece is never chosen; when every candidate is, the cache stays over
 * its capacity until one is released (the "one piece in flight per reader" of the cap).
 *
 * <p>Pure logic: no I/O, no threads, no locks; the caller confines or locks it.
 */
public final class PieceCache {
    private final PieceGeometry geometry;
    private final long capacity;
    private final BitSet resident = new BitSet();
    private final int[] pins;
    /** Last use of each resident piece, and the pieces by last use (the LRU order). */
    private final long[] lastUse;
    private final TreeMap<Long, Integer> byUse = new TreeMap<>();
    private final Map<Object, PieceRange> protectedRanges = new IdentityHashMap<>();
    private long clock;
    private long residentBytes;

    public PieceCache(PieceGeometry geometry, long capacityBytes) {
        this.geometry = geometry;
        this.capacity = capacityBytes;
        this.pins = new int[geometry.pieceCount()];
        this.lastUse = new long[geometry.pieceCount()];
    }

    public long capacity() {
        return capacity;
    }

    public long residentBytes() {
        return residentBytes;
    }

    public boolean isResident(int piece) {
        return resident.get(piece);
    }

    public int residentCount() {
        return resident.cardinality();
    }

    /** The piece is stored (verified): it becomes the most recently used. No-op if resident. */
    public void add(int piece) {
        if (resident.get(piece)) {
            touch(piece);
            return;
        }
        resident.set(piece);
        residentBytes += geometry.pieceSize(piece);
        use(piece);
    }

    /** The piece was read: it moves to the back of the eviction order. */
    public void touch(int piece) {
        if (resident.get(piece)) {
            byUse.remove(lastUse[piece]);
            use(piece);
        }
    }

    private void use(int piece) {
        lastUse[piece] = ++clock;
        byUse.put(clock, piece);
    }

    public void pin(int piece) {
        pins[piece]++;
    }

    public void unpin(int piece) {
        if (pins[piece] <= 0) {
            throw new IllegalStateException("piece " + piece + " is not pinned");
        }
        pins[piece]--;
    }

    public boolean isPinned(int piece) {
        return pins[piece] > 0;
    }

    /** {@code owner}'s range (a readahead window, a blocked read) is kept; replaces its last one. */
    public void protect(Object owner, PieceRange range) {
        protectedRanges.put(owner, range);
    }

    public void unprotect(Object owner) {
        protectedRanges.remove(owner);
    }

    public boolean isProtected(int piece) {
        for (PieceRange r : protectedRanges.values()) {
            if (r.contains(piece)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Chooses and removes pieces, least recently used first, skipping pinned and protected
     * ones and {@code keep}, until the resident bytes plus {@code reserveBytes} (pieces being
     * downloaded) fit the capacity, or no candidate is left.
     *
     * @param keep a piece never to choose (the one just stored, which a read waits for), or -1
     * @return the evicted pieces, in eviction order
     */
    public List<Integer> evict(long reserveBytes, int keep) {
        List<Integer> out = new ArrayList<>();
        Iterator<Map.Entry<Long, Integer>> it = byUse.entrySet().iterator();
        while (residentBytes + reserveBytes > capacity && it.hasNext()) {
            int p = it.next().getValue();
            if (p == keep || pins[p] > 0 || isProtected(p)) {
                continue;
            }
            it.remove();
            resident.clear(p);
            residentBytes -= geometry.pieceSize(p);
            out.add(p);
        }
        return out;
    }

    /** The piece left the disk without {@link #evict} (a failed re-check): forget it. */
    public void remove(int piece) {
        if (resident.get(piece)) {
            byUse.remove(lastUse[piece]);
            resident.clear(piece);
            residentBytes -= geometry.pieceSize(piece);
        }
    }
}
