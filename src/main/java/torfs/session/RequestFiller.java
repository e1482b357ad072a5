package torfs.session;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import torfs.geometry.BlockRef;
import torfs.geometry.PieceGeometry;
import torfs.peer.PeerConnection;
import torfs.picker.PiecePicker;
import torfs.picker.Priority;

/**
 * Keeps each peer's request pipeline full, on the torrent's loop, and lets a blocked read jump
 * the queue.
 *
 * <p>A peer serves requests in the order it got them, and our pipeline holds about a second of
 * data. A block of a NOW piece (a read is waiting for it) requested at the back of that queue
 * waits for the whole queue, however fast the peer is. So when NOW pieces appear,
 * {@link #rushUrgent} requests their blocks at once, past the normal depth by up to one
 * piece (within the peer's reqq), and CANCELs the requests of lower priority the peer has not
 * answered yet (all but the oldest {@link #KEEP_HEAD}, which it is likely sending already).
 * The cancelled blocks go back to the picker; until the urgent blocks have arrived, the peer
 * gets no background requests (READAHEAD still goes), so they do not compete with them for
 * the peer's disk and link. A
 * peer that ignores a cancel, or had sent the block before reading it, still delivers it: the
 * connection takes such a late block and the picker keeps it if it is still wanted.
 */
final class RequestFiller {
    /** Oldest requests never cancelled: likely already read from disk and on the wire. */
    static final int KEEP_HEAD = 8;

    private final PiecePicker picker;
    /** Blocks in a (full) piece: how far urgent blocks may exceed the normal depth. */
    private final int urgentExtra;
    private final Map<Integer, PeerConnection> peers;
    private final RateLimiter downLimit;
    private final EventLoop loop;
    private final BooleanSupplier closed;
    /** Peers with a fill scheduled for when the download limit has tokens again. */
    private final Set<Integer> fillRetry = new HashSet<>();

    RequestFiller(PiecePicker picker, int blocksPerPiece, Map<Integer, PeerConnection> peers,
                  RateLimiter downLimit, EventLoop loop, BooleanSupplier closed) {
        this.picker = picker;
        this.urgentExtra = blocksPerPiece;
        this.peers = peers;
        this.downLimit = downLimit;
        this.loop = loop;
        this.closed = closed;
    }

    /** Tops the peer's pipeline up to its target depth, within the download limit. */
    void fill(PeerConnection p) {
        if (closed.getAsBoolean()) {
            return;
        }
        int slots = p.requestSlots();
        if (slots <= 0) {
            return;
        }
        long now = System.nanoTime();
        if (!downLimit.isUnlimited()) {
            // the download limit is applied to what we ask for: no request, no bytes
            long granted = downLimit.tryAcquire(p.id(), (long) slots * PieceGeometry.BLOCK_SIZE, now);
            slots = (int) (granted / PieceGeometry.BLOCK_SIZE);
            if (slots <= 0) {
                // queued for the bucket: come back when our turn is ready, or lose it
                if (fillRetry.add(p.id())) {
                    long wait = Math.max(1_000_000, downLimit.nanosUntilAvailable(p.id(), now));
                    loop.schedule(() -> {
                        fillRetry.remove(p.id());
                        fill(p);
                    }, wait, TimeUnit.NANOSECONDS);
                }
                return;
            }
        }
        // choked by a fast peer: only the pieces it allowed us (BEP 6) may be requested
        List<BlockRef> picked;
        if (p.peerChoking()) {
            picked = picker.pick(p.id(), slots, now, p.allowedFastFromPeer());
        } else if (picker.readWaitsOn(p.id())) {
            // the peer is fetching a piece a read waits for: no background behind it meanwhile
            picked = picker.pickStreaming(p.id(), slots, now);
        } else {
            picked = picker.pick(p.id(), slots, now);
        }
        p.request(picked);
    }

    void fillAll() {
        for (PeerConnection p : List.copyOf(peers.values())) {
            fill(p);
        }
    }

    /**
     * NOW pieces may have open blocks: hands them to the fastest peers that have them, each
     * peer's lower-priority unanswered requests cancelled first so the urgent ones are next in
     * its queue. Call before the normal {@link #fill}, which then re-requests the rest behind.
     */
    void rushUrgent() {
        if (closed.getAsBoolean() || !picker.hasUrgent()) {
            return;
        }
        List<PeerConnection> fastestFirst = new ArrayList<>(peers.values());
        fastestFirst.sort(Comparator.comparingLong(PeerConnection::downloadRate).reversed()
                .thenComparingInt(PeerConnection::id));
        long now = System.nanoTime();
        for (PeerConnection p : fastestFirst) {
            rush(p, now);
            if (!picker.hasUrgent()) {
                return;
            }
        }
    }

    private void rush(PeerConnection p, long now) {
        List<BlockRef> behind = preemptible(p);
        // the cancelled requests make room too
        int room = p.urgentCapacity(urgentExtra) - (p.outstandingCount() - behind.size());
        if (room <= 0) {
            return;
        }
        if (!downLimit.isUnlimited()) {
            // the cancelled requests' tokens are reused; anything more must be granted
            long more = Math.max(0, room - behind.size());
            long granted = more == 0 ? 0 : downLimit.tryAcquire(p.id(), more * PieceGeometry.BLOCK_SIZE, now);
            room = (int) Math.min(room, behind.size() + granted / PieceGeometry.BLOCK_SIZE);
        }
        List<BlockRef> urgent = picker.pickUrgent(p.id(), room, now);
        if (urgent.isEmpty()) {
            return;
        }
        if (!behind.isEmpty()) {
            p.cancel(behind);
            for (BlockRef b : behind) {
                picker.requestDropped(p.id(), b);
            }
        }
        p.request(urgent);
    }

    /** The peer's unanswered requests below READAHEAD, except the oldest {@link #KEEP_HEAD}. */
    private List<BlockRef> preemptible(PeerConnection p) {
        List<BlockRef> out = new ArrayList<>();
        List<BlockRef> sent = p.outstanding(); // send order
        for (int i = KEEP_HEAD; i < sent.size(); i++) {
            BlockRef b = sent.get(i);
            if (picker.priority(b.piece()).compareTo(Priority.READAHEAD) < 0) {
                out.add(b);
            }
        }
        return out;
    }
}
