package torfs.peer;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import torfs.geometry.Bitfield;
import torfs.geometry.BlockRef;
import torfs.geometry.PieceGeometry;
import torfs.metainfo.InfoHash;

/**
 * The peer's requests to us (BEP 3 and 6): the queue we serve from, which requests are refused
 * and how, and our allowed-fast set for the peer, whose pieces are served even while we choke
 * it. It decides and {@link PeerConnection} sends: methods return what to reject or announce.
 * Lives on the connection's event loop.
 */
final class UploadRequests {
    /** What becomes of a request from the peer. */
    enum Verdict {
        /** Queued: the torrent is told there is something to serve. */
        QUEUED,
        /** Queued already: nothing to do. */
        DUPLICATE,
        /** Malformed: a fast peer gets a reject, another is disconnected. */
        BAD,
        /** A piece we no longer have (evicted since we announced it): not the peer's fault. */
        NOT_HAD,
        /** We choke the peer, or its queue is full: a fast peer gets a reject, another nothing. */
        DECLINED
    }

    private final PieceGeometry geometry;
    private final int maxQueued;
    /** Requests from the peer that we have not served yet. */
    private final ArrayDeque<BlockRef> incoming = new ArrayDeque<>();
    /** Our BEP 6 allowed-fast set for the peer: served even while we choke it. */
    private Set<Integer> granted = Set.of();
    private boolean grantConsidered;

    UploadRequests(PieceGeometry geometry, int maxQueued) {
        this.geometry = geometry;
        this.maxQueued = maxQueued;
    }

    int size() {
        return incoming.size();
    }

    boolean isEmpty() {
        return incoming.isEmpty();
    }

    /** Next queued request, or null. */
    BlockRef poll() {
        return incoming.poll();
    }

    /** The peer cancelled a request: true when it was queued (and is no more). */
    boolean remove(BlockRef ref) {
        return incoming.remove(ref);
    }

    void clear() {
        incoming.clear();
    }

    /** Our allowed-fast set for the peer (empty when none was granted). */
    Set<Integer> granted() {
        return granted;
    }

    /** True when {@code piece} is in our allowed-fast set for this peer. */
    boolean isGranted(int piece) {
        return granted.contains(piece);
    }

    /** Judges a request of the peer and queues it if it is to be served. */
    Verdict offer(BlockRef ref, boolean amChoking, IntPredicate hasPiece) {
        boolean valid = ref.piece() >= 0 && ref.piece() < geometry.pieceCount()
                && ref.length() > 0 && ref.length() <= PieceGeometry.BLOCK_SIZE && ref.begin() >= 0
                && (long) ref.begin() + ref.length() <= geometry.pieceSize(ref.piece());
        if (valid && !hasPiece.test(ref.piece())) {
            return Verdict.NOT_HAD;
        }
        if (!valid) {
            return Verdict.BAD;
        }
        if (amChoking && !isGranted(ref.piece())) {
            return Verdict.DECLINED;
        }
        if (incoming.size() >= maxQueued) {
            return Verdict.DECLINED;
        }
        if (incoming.contains(ref)) {
            return Verdict.DUPLICATE;
        }
        incoming.add(ref);
        return Verdict.QUEUED;
    }

    /**
     * We choke the peer: its queued requests go, in queue order, but those for allowed-fast
     * pieces, which are served while choked too.
     */
    List<BlockRef> choked() {
        List<BlockRef> gone = new ArrayList<>();
        for (Iterator<BlockRef> it = incoming.iterator(); it.hasNext(); ) {
            BlockRef r = it.next();
            if (isGranted(r.piece())) {
                continue;
            }
            it.remove();
            gone.add(r);
        }
        return gone;
    }

    /** Drops the queued requests for {@code piece} (we no longer have it), in queue order. */
    List<BlockRef> dropPiece(int piece) {
        List<BlockRef> gone = new ArrayList<>();
        for (Iterator<BlockRef> it = incoming.iterator(); it.hasNext(); ) {
            BlockRef r = it.next();
            if (r.piece() == piece) {
                it.remove();
                gone.add(r);
            }
        }
        return gone;
    }

    /**
     * BEP 6, as libtorrent, once, at the peer's first have-set: a fast peer that starts with
     * fewer pieces than the set's size gets the canonical allowed-fast set for its IPv4 address,
     * so it can start downloading before the choker unchokes it. Returns the pieces to send
     * ALLOWED_FAST for: those of the set we have and it lacks; a request for any piece of the
     * set is served while choked (if we have it by then).
     */
    List<Integer> grantOnce(boolean fast, Bitfield have, SocketAddress remote, InfoHash infoHash,
                            IntPredicate hasPiece) {
        if (grantConsidered) {
            return List.of();
        }
        grantConsidered = true;
        if (!fast || have.cardinality() >= AllowedFastSet.SIZE
                || !(remote instanceof InetSocketAddress a)
                || !(a.getAddress() instanceof Inet4Address ip)) {
            return List.of();
        }
        granted = Set.copyOf(AllowedFastSet.generate(ip.getAddress(), infoHash,
                geometry.pieceCount(), AllowedFastSet.SIZE));
        List<Integer> announce = new ArrayList<>();
        for (int piece : granted) {
            if (hasPiece.test(piece) && !have.get(piece)) {
                announce.add(piece);
            }
        }
        return announce;
    }
}
