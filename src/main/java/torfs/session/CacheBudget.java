package torfs.session;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import torfs.storage.PieceCache;

/**
 * One {@code --cache-size} for a whole mount: the {@link PieceCache} all its torrents share, and
 * the lock under which each torrent's leases, verified bits and evictions change, so a piece of
 * one torrent can be given up for a piece of another without a reader slipping between "is it
 * verified" and "hold it". A torrent joins when its session starts ({@link
 * TorrentSession#limitCache(CacheBudget, torfs.storage.HolePunch)}) and leaves when it stops:
 * a removed torrent's data no longer counts (it stays on disk unless deleted with it).
 */
public final class CacheBudget {
    private final PieceCache cache;
    /** Guarded by this: who keeps each part's verified bits and punches its blocks. */
    private final Map<PieceCache.Part, CacheEviction> members = new IdentityHashMap<>();

    public CacheBudget(long capacityBytes) {
        this.cache = new PieceCache(capacityBytes);
    }

    public long capacity() {
        return cache.capacity();
    }

    /** Bytes of the verified pieces all torrents keep now. */
    public synchronized long residentBytes() {
        return cache.residentBytes();
    }

    synchronized PieceCache.Part join(torfs.geometry.PieceGeometry geometry, CacheEviction member) {
        PieceCache.Part part = cache.join(geometry);
        members.put(part, member);
        return part;
    }

    synchronized void leave(PieceCache.Part part) {
        part.leave();
        members.remove(part);
    }

    /**
     * Evicted {@code pieces} of {@code part} have left the disk (or their punch failed): the
     * members that were refused a piece's start for want of room try again.
     */
    void punched(PieceCache.Part part, List<Integer> pieces) {
        List<CacheEviction> retry = new ArrayList<>();
        synchronized (this) {
            pieces.forEach(part::punched);
            for (CacheEviction m : members.values()) {
                if (m.takeRefused()) {
                    retry.add(m);
                }
            }
        }
        retry.forEach(CacheEviction::roomFreed);
    }

    /**
     * Under this lock: {@code victims} are given up; their verified bits are cleared now.
     * Returns them grouped by the torrent that must punch them and tell its peers.
     */
    Map<CacheEviction, List<Integer>> clear(List<PieceCache.Slot> victims) {
        Map<CacheEviction, List<Integer>> byMember = new LinkedHashMap<>();
        for (PieceCache.Slot s : victims) {
            CacheEviction m = members.get(s.part());
            if (m != null) {
                m.clearVerified(s.piece());
                byMember.computeIfAbsent(m, k -> new ArrayList<>()).add(s.piece());
            }
        }
        return byMember;
    }
}
