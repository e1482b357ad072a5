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
 * be stored: the least recently read pieces that nobody holds, of whichever of the mount's
 * torrents (one budget for the mount; each torrent is a {@link Part}). What it tracks:
 * <ul>
 * <li>the resident pieces and their bytes (the cache's fill, checked against its capacity);</li>
 * <li>for each resident piece, when it was last stored or read (one clock for all parts);</li>
 * <li>pins: a count per piece of reads copying from it and uploads reading a block of it;</li>
 * <li>protected ranges: each open reader's readahead window and each blocked read, by owner;</li>
 * <li>each part's reserve: room for the pieces it is downloading, which will need it.</li>
 * <li>the bytes of evicted pieces still on disk: their punch has not run yet. Eviction does not
 * count them (they are on their way out; counting them would evict more for nothing), but a new
 * piece may start only where it fits beside them ({@link Part#mayStart}), or a disk slow to
 * punch holes lets the data outgrow the cap.</li>
 * <li>each part's {@link Refetches}: what eviction cost, in bytes fetched again.</li>
 * </ul>
 * A pinned or protected piece is never chosen; when every candidate is, the cache stays over
 * its capacity until one is released (the "one piece in flight per reader" of the cap).
 *
 * <p>Pure logic: no I/O, no threads, no locks; the caller confines or locks it.
 */
public final class PieceCache {
    private final long capacity;
    /** Every part's resident pieces by last use: the LRU order across torrents. */
    private final TreeMap<Long, Slot> byUse = new TreeMap<>();
    private long clock;
    /** Stamps older than any use, for data found on disk at start (see {@link Part#addFound}). */
    private long foundClock;
    private long residentBytes;
    private long reserveBytes;
    /** Bytes of evicted pieces whose punch has not run yet. */
    private long leavingBytes;

    /** A piece of a part, as evicted. */
    public record Slot(Part part, int piece) {
    }

    /**
     * What one part's evictions cost, in bytes, since it joined. A piece a reader read, evicted,
     * stored again and read again is the price of the cap (a region read again after its
     * eviction). Any other piece stored again was fetched twice for nothing (so far): its first
     * copy went unread (a window that reached too far, or a cache too small for its windows), or
     * its new one is not read (yet). That waste is the figure to keep at 0.
     *
     * @param evicted         bytes of pieces evicted
     * @param evictedUnread   of those, pieces no reader read while they were on disk
     * @param refetched       bytes of pieces stored again after an eviction
     * @param refetchedWasted of those, pieces not read both before the eviction and since
     */
    public record Refetches(long evicted, long evictedUnread, long refetched, long refetchedWasted) {
    }

    public PieceCache(long capacityBytes) {
        this.capacity = capacityBytes;
    }

    public long capacity() {
        return capacity;
    }

    /** Bytes of every part's resident pieces. */
    public long residentBytes() {
        return residentBytes;
    }

    /** Bytes of evicted pieces still on disk (their punch has not run yet). */
    public long leavingBytes() {
        return leavingBytes;
    }

    /** A torrent joins the budget. */
    public Part join(PieceGeometry geometry) {
        return new Part(geometry);
    }

    /**
     * Chooses and removes pieces of any part, least recently used first, skipping pinned and
     * protected ones and {@code keep}'s piece, until the resident bytes plus every part's
     * reserve fit the capacity, or no candidate is left.
     *
     * @param keepPart  the part of a piece never to choose (the one just stored, which a read
     *                  waits for), or null
     * @return the evicted pieces, in eviction order
     */
    public List<Slot> evict(Part keepPart, int keepPiece) {
        List<Slot> out = new ArrayList<>();
        Iterator<Map.Entry<Long, Slot>> it = byUse.entrySet().iterator();
        while (residentBytes + reserveBytes > capacity && it.hasNext()) {
            Slot s = it.next().getValue();
            Part part = s.part;
            int p = s.piece;
            if ((part == keepPart && p == keepPiece) || part.pins[p] > 0 || part.isProtected(p)) {
                continue;
            }
            it.remove();
            part.drop(p);
            out.add(s);
        }
        return out;
    }

    /** One torrent's pieces in the budget. */
    public final class Part {
        private final PieceGeometry geometry;
        private final BitSet resident = new BitSet();
        private final int[] pins;
        private final long[] lastUse;
        private final Map<Object, PieceRange> protectedRanges = new IdentityHashMap<>();
        /** Pieces a reader read since they were stored (or verified, a moment before they were added). */
        private final BitSet read = new BitSet();
        /** Pieces evicted and not stored since. */
        private final BitSet evicted = new BitSet();
        /** Pieces whose last evicted copy a reader had read (evicted ones, and those stored again). */
        private final BitSet evictedCopyRead = new BitSet();
        private long evictedBytes;
        private long evictedUnreadBytes;
        private long refetchedBytes;
        private long readAgainBytes;
        private long bytes;
        private long reserve;
        private boolean left;

        private Part(PieceGeometry geometry) {
            this.geometry = geometry;
            this.pins = new int[geometry.pieceCount()];
            this.lastUse = new long[geometry.pieceCount()];
        }

        /** Bytes of this part's resident pieces. */
        public long residentBytes() {
            return bytes;
        }

        public boolean isResident(int piece) {
            return resident.get(piece);
        }

        /** The piece is stored (verified): it becomes the most recently used. No-op if resident. */
        public void add(int piece) {
            if (resident.get(piece)) {
                touch(piece);
            } else if (!left) {
                enter(piece, ++clock);
            }
        }

        /**
         * Pieces found on disk at start: they enter older than anything read, in the given
         * order, so their excess goes first and not another torrent's pieces in use.
         */
        public void addFound(List<Integer> pieces) {
            long stamp = foundClock - pieces.size();
            foundClock = stamp;
            for (int p : pieces) {
                stamp++;
                if (!resident.get(p) && !left) {
                    enter(p, stamp);
                    read.set(p); // fetched by an earlier run: evicting it wastes nothing of this one
                }
            }
        }

        private void enter(int piece, long stamp) {
            resident.set(piece);
            long size = geometry.pieceSize(piece);
            if (evicted.get(piece)) {
                evicted.clear(piece);
                refetchedBytes += size;
                if (evictedCopyRead.get(piece) && read.get(piece)) {
                    readAgainBytes += size; // read in the moment before it was added
                }
            }
            bytes += size;
            residentBytes += size;
            lastUse[piece] = stamp;
            byUse.put(stamp, new Slot(this, piece));
        }

        /** A reader read the piece: it moves to the back of the eviction order. */
        public void read(int piece) {
            // (a reader may lease a piece as soon as it is verified, a moment before it is added)
            if (!read.get(piece)) {
                read.set(piece);
                if (resident.get(piece) && evictedCopyRead.get(piece)) {
                    readAgainBytes += geometry.pieceSize(piece);
                }
            }
            touch(piece);
        }

        /** The piece was used (read, or a block of it uploaded): it moves to the back of the eviction order. */
        public void touch(int piece) {
            if (resident.get(piece)) {
                Slot s = byUse.remove(lastUse[piece]);
                lastUse[piece] = ++clock;
                byUse.put(clock, s);
            }
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

        /** Room this part's pieces being downloaded will need; replaces its last reserve. */
        public void reserve(long reserveBytes) {
            if (!left) {
                PieceCache.this.reserveBytes += reserveBytes - reserve;
                reserve = reserveBytes;
            }
        }

        /**
         * May this part start downloading one more piece, {@code downloadingBytes} being what
         * its pieces being downloaded will need with it? Yes while no punch is pending (then
         * eviction alone keeps the cap, a piece in flight per reader aside); otherwise only where
         * the resident pieces, the leaving ones and every part's reserve (this part's grown to
         * {@code downloadingBytes}) fit the capacity. A part that left the budget always may.
         */
        public boolean mayStart(long downloadingBytes) {
            if (leavingBytes == 0 || left) {
                return true;
            }
            long reserves = reserveBytes - reserve + Math.max(reserve, downloadingBytes);
            return residentBytes + leavingBytes + reserves <= capacity;
        }

        /** An evicted piece's blocks are punched out (or the punch failed): its bytes have left. */
        public void punched(int piece) {
            leavingBytes -= geometry.pieceSize(piece);
        }

        /** Chooses victims as {@link PieceCache#evict} does, keeping {@code keep} of this part (or -1). */
        public List<Slot> evict(int keep) {
            return PieceCache.this.evict(keep < 0 ? null : this, keep);
        }

        /** What this part's evictions cost so far. */
        public Refetches refetches() {
            return new Refetches(evictedBytes, evictedUnreadBytes, refetchedBytes, refetchedBytes - readAgainBytes);
        }

        private void drop(int piece) {
            resident.clear(piece);
            long size = geometry.pieceSize(piece);
            evicted.set(piece);
            evictedBytes += size;
            evictedCopyRead.set(piece, read.get(piece));
            evictedUnreadBytes += read.get(piece) ? 0 : size;
            read.clear(piece);
            bytes -= size;
            residentBytes -= size;
            leavingBytes += size;
        }

        /**
         * The torrent left the mount: its pieces and reserve no longer count against the
         * budget (its data stays on disk, outside the cap, unless the caller deletes it), and
         * nothing it stores later enters. Pins still balance.
         */
        public void leave() {
            reserve(0);
            for (int p = resident.nextSetBit(0); p >= 0; p = resident.nextSetBit(p + 1)) {
                byUse.remove(lastUse[p]);
                residentBytes -= geometry.pieceSize(p);
            }
            resident.clear();
            read.clear();
            bytes = 0;
            left = true;
        }
    }
}
