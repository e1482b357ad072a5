package torfs.peer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import torfs.geometry.BlockRef;

/**
 * Our requests to one peer: the outstanding ones in send order with when each was sent and
 * expected, those we gave up on (a late answer is still taken), those cancelled at a fast peer
 * that still owes an answer, and the snub clock (since when we wait for a block). It feeds the
 * peer's {@link DeliveryModel}; {@link PeerConnection} sends the messages. Lives on the
 * connection's event loop.
 */
final class OurRequests {
    static final int LATE_MEMORY = 1024;
    /**
     * How long a cancel's answer is waited for before its block is given back anyway: a peer
     * that reads our cancel answers within a round trip, unless the block was queued behind
     * others already; a peer that breaks BEP 6 would otherwise hold a block a reader may come
     * to need. Giving it back early risks only a duplicate.
     */
    static final long CANCEL_ANSWER_NANOS = 2_000_000_000L;

    private final DeliveryModel delivery;
    /** Our requests in send order. */
    private final LinkedHashMap<BlockRef, PeerConnection.Pending> outstanding = new LinkedHashMap<>();
    /** Requests we gave up on; a late answer is still taken if the torrent wants it. */
    private final Set<BlockRef> late = new HashSet<>();
    /**
     * Requests we cancelled at a fast peer that has not answered them yet (with the block or a
     * reject). Kept apart from {@link #outstanding}: the block may be requested again, and the
     * first answer is then the cancelled request's. Kept, with when each was cancelled, until
     * answered or {@link #CANCEL_ANSWER_NANOS} later (then given back); past {@link #LATE_MEMORY}
     * entries no more cancels are sent.
     */
    private final LinkedHashMap<BlockRef, Long> cancelled = new LinkedHashMap<>();
    private long lastBlock;
    /** Requests timed out since the last block: the snub clock keeps running across them. */
    private boolean unansweredSinceBlock;

    OurRequests(DeliveryModel delivery, long now) {
        this.delivery = delivery;
        this.lastBlock = now;
    }

    int size() {
        return outstanding.size();
    }

    boolean isEmpty() {
        return outstanding.isEmpty();
    }

    List<BlockRef> list() {
        return List.copyOf(outstanding.keySet());
    }

    /** A live read-only view in send order. */
    Collection<BlockRef> view() {
        return Collections.unmodifiableSet(outstanding.keySet());
    }

    PeerConnection.Pending pending(BlockRef block) {
        return outstanding.get(block);
    }

    /**
     * When each outstanding request is expected (nanos), from the model and the bytes queued
     * before it; {@link Long#MAX_VALUE} for all of them while {@code stalled} (choked, closed).
     */
    Map<BlockRef, Long> expectedArrivals(long now, double prior, boolean stalled) {
        Map<BlockRef, Long> out = new HashMap<>(outstanding.size() * 2);
        long through = 0;
        for (Map.Entry<BlockRef, PeerConnection.Pending> e : outstanding.entrySet()) {
            through += e.getKey().length();
            out.put(e.getKey(), stalled ? Long.MAX_VALUE
                    : delivery.arrival(through, e.getValue().sentAt(), now, prior));
        }
        return out;
    }

    /** Before a batch of requests goes out: the snub clock starts when we start waiting. */
    void sending(long now) {
        if (outstanding.isEmpty() && !unansweredSinceBlock) {
            lastBlock = now;
        }
    }

    /** Notes a request to send now; false when it is outstanding already (nothing to send). */
    boolean add(BlockRef b, long now, double prior) {
        if (outstanding.containsKey(b)) {
            return false;
        }
        late.remove(b);
        long expected = delivery.arrivalOfNew(delivery.owed(), b.length(), now, prior);
        outstanding.put(b, new PeerConnection.Pending(now, expected));
        delivery.requested(b.length(), now);
        return true;
    }

    /**
     * Withdraws a request; true when a CANCEL is to be sent. The peer may have sent the block
     * before it reads our cancel, or ignore cancels: such a block is still taken, as a late
     * answer, not as unrequested data.
     */
    boolean cancel(BlockRef b, long now, boolean open, boolean fast) {
        if (outstanding.remove(b) == null || !open) {
            return false;
        }
        delivery.withdrawn(b.length(), now);
        if (!fast) {
            rememberLate(b);
        } else if (cancelled.size() < LATE_MEMORY) {
            // BEP 6: the peer answers a cancel with the block or a reject, never neither
            cancelled.remove(b); // (re-inserted: the map stays in cancel order)
            cancelled.put(b, now);
        } else {
            // it owes answers to this many cancels already: one more that we could not
            // remember would let its reject drop a newer request for the block; let
            // the block come instead
            rememberLate(b);
            return false;
        }
        return true;
    }

    /**
     * Once a second: when we have waited for a block longer than the snub time, every request
     * is given up (true: the peer is snubbed); else those older than the request timeout. The
     * requests given up become late and go into {@code into}.
     */
    boolean expire(long now, PeerSettings settings, LongSupplier clock, List<BlockRef> into) {
        expireCancels(now, CANCEL_ANSWER_NANOS, into);
        if (!outstanding.isEmpty() && now - lastBlock > settings.snubNanos()) {
            dropAll(clock.getAsLong(), into);
            return true;
        }
        for (Iterator<Map.Entry<BlockRef, PeerConnection.Pending>> it = outstanding.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<BlockRef, PeerConnection.Pending> e = it.next();
            if (now - e.getValue().sentAt() <= settings.requestTimeoutNanos()) {
                break; // send order: the rest are younger
            }
            it.remove();
            delivery.withdrawn(e.getKey().length(), now);
            unansweredSinceBlock = true;
            rememberLate(e.getKey());
            into.add(e.getKey());
        }
        return false;
    }

    /**
     * Cancels a fast peer has not answered in {@code timeoutNanos}. Each block becomes late (its
     * copy is still taken) and goes into {@code into} (given back), unless requested of it again.
     */
    private void expireCancels(long now, long timeoutNanos, List<BlockRef> into) {
        for (Iterator<Map.Entry<BlockRef, Long>> it = cancelled.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<BlockRef, Long> e = it.next();
            if (now - e.getValue() <= timeoutNanos) {
                break; // cancel order: the rest are younger
            }
            it.remove();
            if (!outstanding.containsKey(e.getKey())) {
                rememberLate(e.getKey());
                into.add(e.getKey());
            }
        }
    }

    /**
     * True while the peer owes an answer to our cancel of {@code b} (the block or a reject) and
     * we have not asked it for the block again: until then the block is still on its way or
     * about to be rejected, and asking anyone for it again would likely fetch it twice.
     */
    boolean owesAnswer(BlockRef b) {
        return cancelled.containsKey(b) && !outstanding.containsKey(b);
    }

    /** Gives up on every request (they become late), into {@code into}. */
    void dropAll(long now, List<BlockRef> into) {
        for (BlockRef b : outstanding.keySet()) {
            delivery.withdrawn(b.length(), now);
            rememberLate(b);
            into.add(b);
        }
        outstanding.clear();
    }

    /**
     * A block arrived at {@code at}: true when it answers a request of ours (outstanding,
     * cancelled or late), false for unrequested data.
     */
    boolean answered(BlockRef ref, long at) {
        // the answer to a cancelled request comes before that to a newer one for the same block
        boolean wasCancelled = cancelled.remove(ref) != null;
        PeerConnection.Pending pending = wasCancelled ? null : outstanding.remove(ref);
        if (pending != null) {
            delivery.arrived(ref.length(), pending.sentAt(), at);
        } else if (wasCancelled || late.remove(ref)) {
            delivery.arrivedLate(ref.length(), at); // busy with what we withdrew: not silent
        } else {
            return false;
        }
        lastBlock = at;
        unansweredSinceBlock = false;
        return true;
    }

    /**
     * A fast peer's REJECT: true when the block is ours to give back, an outstanding request
     * dropped or a cancelled one confirmed ({@link #owesAnswer}), unless a newer request for
     * it still stands.
     */
    boolean rejected(BlockRef ref, long now) {
        if (cancelled.remove(ref) != null) {
            return !outstanding.containsKey(ref); // the peer confirms our cancel
        }
        if (outstanding.remove(ref) != null) {
            delivery.withdrawn(ref.length(), now);
            return true;
        }
        return false;
    }

    /** Our outstanding requests of {@code piece}. */
    List<BlockRef> ofPiece(int piece) {
        List<BlockRef> mine = new ArrayList<>();
        for (BlockRef b : outstanding.keySet()) {
            if (b.piece() == piece) {
                mine.add(b);
            }
        }
        return mine;
    }

    /** The connection closed: every outstanding request, forgotten. */
    List<BlockRef> clear() {
        List<BlockRef> left = new ArrayList<>(outstanding.keySet());
        outstanding.clear();
        return left;
    }

    private void rememberLate(BlockRef b) {
        if (late.size() >= LATE_MEMORY) {
            late.clear();
        }
        late.add(b);
    }
}
