package torfs.picker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import torfs.geometry.BlockRef;

/**
 * Decides which peer fetches each block that a reader needs by a deadline ("critical" blocks:
 * a blocked read's pieces and the readahead windows), from each peer's expected arrival time
 * for a block: its rate, its delay, and what is queued at it ahead of the block. Pure: no
 * clock, no I/O; the caller passes the time and views of the peers and pieces.
 *
 * <p>Pieces are taken in the order given (blocked reads first, then by deadline). A piece is
 * <em>urgent</em> when a read waits for it or its deadline is less than {@link #URGENT_NANOS}
 * away: an urgent block may go ahead of the peer's background requests, which the caller then
 * cancels, and it may exceed the peer's normal pipeline.
 * <ul>
 * <li>An open block goes to a peer expected to deliver it about as soon as the best peer, with or
 *     without room (earliest finish: each block assigned lengthens that peer's queue, so an
 *     urgent piece spreads over the peers in proportion to their speed), the fastest of those
 *     (one late block holds up a whole piece, and a fast peer's estimate is the surer); a block
 *     not urgent may also go to a peer that delivers it in half the time left to its deadline.
 *     Otherwise it stays open for a better peer: a slow peer never takes a block a faster one
 *     will reach sooner.</li>
 * <li>A peer never measured gets at most {@link #PROBE_BLOCKS} critical blocks at a time (its
 *     pace is the other peers' median until then), and holds nothing back once it has them; an
 *     urgent block it holds is also asked of a measured peer (without a cancel: the answer
 *     measures it): it may be the slowest peer of all.</li>
 * <li>With {@code rescue}, a requested block whose holders will not deliver it moves to the
 *     measured peer expected to deliver it soonest: a holder that left or chokes us never will,
 *     and one later than its model expected when it was asked, by {@link #MIN_LATE_NANOS} or half
 *     the wait it was given, is not trusted to (a stall shows as lateness). The holder is named so
 *     the caller cancels there. The new peer must be nearly as good as any (else the request
 *     is only withdrawn, so the block waits open for the best one) and beat the late holder's
 *     own estimate by {@link #MIN_GAIN_NANOS}. A holder on time but slow is swapped out too
 *     (hotswap, with a cancel there) when the piece is urgent and the holder would deliver after
 *     the deadline, to a peer nearly as good as any that gains {@link #HOTSWAP_GAIN_NANOS} and
 *     needs at most 1 / {@link #HOTSWAP_RATIO} of the holder's time left. Blocks merely queued
 *     a little longer than elsewhere are not moved: chasing a faster queue with every re-plan
 *     only thrashes.</li>
 * </ul>
 */
public final class DeadlineScheduler {
    /** A piece needed within this long is urgent. */
    public static final long URGENT_NANOS = 1_000_000_000L;
    /** A move must gain at least this much on a late holder's estimate. */
    static final long MIN_GAIN_NANOS = 30_000_000L;
    /** A slow holder's urgent block moves only to a peer that gains at least this much... */
    static final long HOTSWAP_GAIN_NANOS = 100_000_000L;
    /** ...and delivers it in at most this fraction of the holder's remaining time (1 / 1.5). */
    static final double HOTSWAP_RATIO = 1.5;
    /** A block is late once this much past the time it was expected (or half its wait, if more). */
    static final long MIN_LATE_NANOS = 50_000_000L;
    /** Peers one block may be asked of at once. */
    static final int MAX_HOLDERS = 3;
    /** Slack within which a peer counts as good as the best one. */
    static final long TIE_NANOS = 5_000_000L;
    /** Critical blocks a peer with no measured rate may hold. */
    static final int PROBE_BLOCKS = 4;
    /** Beyond this the scheduler only looks at open blocks when some peer has room. */
    static final long RESCUE_HORIZON_NANOS = 4_000_000_000L;

    /** A peer as the scheduler sees it. */
    public interface Peer {
        int id();

        /** May be asked now: connected, unchoked, interested, not snubbed. */
        boolean canRequest();

        boolean has(int piece);

        boolean measured();

        /** Requests outstanding at the peer for critical blocks (background ones not counted). */
        int criticalOutstanding();

        /** Bytes of our requests the peer still owes. */
        long queuedBytes();

        /** Bytes of requests the caller would cancel to put an urgent block first. */
        long preemptibleBytes();

        /** Requests that may be added within the peer's normal pipeline. */
        int room();

        /** Requests that may be added for urgent blocks (preempted requests make room too). */
        int urgentRoom();

        /** The rate expected of it now, bytes/s. */
        double rate(long now);

        /** When a request sent now behind {@code ahead} bytes would arrive. */
        long arrivalOfNew(long ahead, int length, long now);

        /** When a block the peer has outstanding is expected now; {@link Long#MAX_VALUE} if never. */
        long arrivalOf(BlockRef block, long now);

        /** When the peer was asked for a block it has outstanding. */
        long sentAt(BlockRef block);

        /** When the block was expected at the time it was asked for; {@link Long#MAX_VALUE} if unknown. */
        long expectedAt(BlockRef block);
    }

    /** A critical piece and the state of its blocks. */
    public interface Piece {
        int piece();

        /** When the reader needs it (nanos); a blocked read's is when it started waiting. */
        long deadline();

        /** A read waits for it now. */
        boolean blocked();

        int blockCount();

        BlockRef block(int index);

        boolean isOpen(int index);

        boolean isReceived(int index);

        /** Blocks neither requested nor received. */
        int openCount();

        /** The peers the block is requested from. */
        int[] holders(int index);
    }

    /**
     * Ask {@code peer} for {@code block}; {@code from} (or -1) is a holder to cancel it at. A
     * {@code peer} of -1 only withdraws the request at {@code from}: the block is open again for
     * a better peer that has no room yet.
     */
    public record Request(int peer, BlockRef block, boolean urgent, int from) {
    }

    /**
     * The requests to send now, for open blocks and, with {@code rescue}, moves of at-risk ones.
     * With {@code only} set, open blocks are assigned to that peer only (the others are still
     * compared with it), which is what a peer asking for work needs.
     */
    public List<Request> plan(long now, List<? extends Peer> peers, Iterable<? extends Piece> pieces,
                              boolean rescue, Peer only) {
        List<Request> out = new ArrayList<>();
        Map<Integer, Load> loads = new HashMap<>();
        for (Peer p : peers) {
            loads.put(p.id(), new Load(p));
        }
        List<Load> candidates = new ArrayList<>();
        for (Piece piece : pieces) {
            long untilDeadline = piece.deadline() - now;
            boolean urgent = piece.blocked() || untilDeadline < URGENT_NANOS;
            boolean near = urgent || untilDeadline < RESCUE_HORIZON_NANOS;
            if (!near && !anyRoom(loads.values(), only)) {
                break; // nothing left to assign and nothing to rescue this far out
            }
            if (piece.openCount() == 0 && !(rescue && near)) {
                continue;
            }
            candidates.clear();
            for (Load l : loads.values()) {
                if (l.peer.canRequest() && l.peer.has(piece.piece())) {
                    candidates.add(l);
                }
            }
            if (candidates.isEmpty()) {
                continue;
            }
            // rooms only shrink as blocks are taken: once no candidate has any, the piece's
            // other open blocks cannot be placed and are not looked at (a plan runs at every
            // block received, over every readahead window's blocks)
            boolean room = hasRoom(candidates, only, urgent);
            boolean rescuing = rescue && near;
            for (int b = 0; b < piece.blockCount() && (room || rescuing); b++) {
                if (piece.isReceived(b)) {
                    continue;
                }
                if (piece.isOpen(b)) {
                    if (room && assign(piece, piece.block(b), urgent, now, candidates, only, out)) {
                        room = hasRoom(candidates, only, urgent);
                    }
                } else if (rescuing) {
                    int asked = out.size();
                    rescue(piece, b, piece.block(b), urgent, now, candidates, loads, out);
                    if (out.size() > asked) { // a move may have taken a peer's last room
                        room = hasRoom(candidates, only, urgent);
                    }
                }
            }
        }
        return out;
    }

    /** Some candidate ({@code only}, when set) may take a block now. */
    private static boolean hasRoom(List<Load> candidates, Peer only, boolean urgent) {
        for (int i = 0; i < candidates.size(); i++) { // indexed: C1 does not elide an iterator
            Load l = candidates.get(i);
            if ((only == null || l.peer == only) && l.room(urgent) > 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyRoom(Iterable<Load> loads, Peer only) {
        for (Load l : loads) {
            if ((only == null || l.peer == only) && l.peer.canRequest() && l.room(false) > 0) {
                return true;
            }
        }
        return false;
    }

    /** Places an open block with the peer that fits it best; false when it stays open. */
    private static boolean assign(Piece piece, BlockRef block, boolean urgent, long now, List<Load> candidates,
                                  Peer only, List<Request> out) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < candidates.size(); i++) {
            Load l = candidates.get(i);
            if (l.room(urgent) > 0 || l.peer.measured()) { // an unknown peer holds nothing back it cannot take
                best = Math.min(best, l.eta(block.length(), urgent, now));
            }
        }
        if (best == Long.MAX_VALUE) {
            return false;
        }
        long tolerance = (best - now) / 4 + TIE_NANOS;
        Load chosen = null;
        double chosenRate = -1;
        for (int i = 0; i < candidates.size(); i++) {
            Load l = candidates.get(i);
            if ((only != null && l.peer != only) || l.room(urgent) <= 0) {
                continue;
            }
            long eta = l.eta(block.length(), urgent, now);
            boolean asGoodAsBest = eta - best <= tolerance;
            boolean inTime = !urgent && 2 * (eta - now) <= piece.deadline() - now;
            // among those as good, the fastest: the same expected time is surer from a fast peer
            // (one late block holds up a whole piece)
            double rate = l.peer.rate(now);
            if ((asGoodAsBest || inTime) && rate > chosenRate) {
                chosen = l;
                chosenRate = rate;
            }
        }
        if (chosen == null) {
            return false;
        }
        chosen.take(block.length());
        out.add(new Request(chosen.peer.id(), block, urgent, -1));
        return true;
    }

    private static void rescue(Piece piece, int b, BlockRef block, boolean urgent, long now, List<Load> candidates,
                               Map<Integer, Load> loads, List<Request> out) {
        int[] holders = piece.holders(b);
        if (holders.length >= MAX_HOLDERS) {
            return;
        }
        long trusted = Long.MAX_VALUE; // the soonest of the holders expected to deliver as their model says
        int trustedAt = -1;
        long doubtful = Long.MAX_VALUE; // the soonest of the late ones: they may still deliver
        int cancelAt = -1;
        for (int h : holders) {
            Load l = loads.get(h);
            long eta = l == null ? Long.MAX_VALUE : l.peer.arrivalOf(block, now);
            if (eta == Long.MAX_VALUE || isLate(l.peer, block, now)) {
                cancelAt = h; // gone, choking us, or later than it was expected to be
                doubtful = Math.min(doubtful, eta);
            } else if (!urgent || l.peer.measured()) {
                if (eta < trusted) {
                    trusted = eta;
                    trustedAt = h;
                }
            }
            // an urgent block held only by peers whose pace is unknown does not wait on them:
            // it is asked elsewhere too, and theirs is not cancelled (the answer measures them)
        }
        // on time, or not urgent: left where it is (a slow holder that misses an urgent
        // deadline is swapped below)
        if (trusted != Long.MAX_VALUE && (!urgent || trusted <= piece.deadline())) {
            return;
        }
        long best = Long.MAX_VALUE;
        Load chosen = null;
        long chosenEta = Long.MAX_VALUE;
        for (int i = 0; i < candidates.size(); i++) {
            Load l = candidates.get(i);
            if (!l.peer.measured() || contains(holders, l.peer.id())) {
                continue; // a block is moved only to a peer whose pace is known
            }
            long eta = l.eta(block.length(), urgent, now);
            best = Math.min(best, eta);
            if (l.room(urgent) > 0 && eta < chosenEta) {
                chosen = l;
                chosenEta = eta;
            }
        }
        boolean nearlyBest = chosen != null && chosenEta - now <= (best - now) + (best - now) / 4 + TIE_NANOS;
        if (trusted != Long.MAX_VALUE) {
            // hotswap: the holder keeps to its model but is slow; a peer nearly as good as any
            // delivers the block in well under the holder's time
            if (nearlyBest && trusted - chosenEta >= HOTSWAP_GAIN_NANOS
                    && HOTSWAP_RATIO * (chosenEta - now) <= trusted - now) {
                chosen.take(block.length());
                out.add(new Request(chosen.peer.id(), block, urgent, trustedAt));
            }
            return;
        }
        // worth moving only to a peer nearly as good as any, and sooner than a late holder
        if (nearlyBest
                && (doubtful == Long.MAX_VALUE || doubtful - chosenEta >= MIN_GAIN_NANOS)) {
            chosen.take(block.length());
            out.add(new Request(chosen.peer.id(), block, urgent, cancelAt));
        } else if (cancelAt >= 0 && doubtful != Long.MAX_VALUE && doubtful - best >= MIN_GAIN_NANOS) {
            // the best peer has no room now: withdraw the late request so the block is open for it
            out.add(new Request(-1, block, urgent, cancelAt));
        }
    }

    /** Later than the peer's model expected when it was asked, by a margin that grows with the wait. */
    private static boolean isLate(Peer p, BlockRef block, long now) {
        long expected = p.expectedAt(block);
        if (expected == Long.MAX_VALUE) {
            return false;
        }
        long margin = Math.max(MIN_LATE_NANOS, (expected - p.sentAt(block)) / 2);
        return now - expected > margin;
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    /** A peer's queue as this plan lengthens it. */
    private static final class Load {
        final Peer peer;
        long added;
        int taken;

        Load(Peer peer) {
            this.peer = peer;
        }

        long eta(int length, boolean urgent, long now) {
            long ahead = peer.queuedBytes() - (urgent ? peer.preemptibleBytes() : 0) + added;
            return peer.arrivalOfNew(Math.max(0, ahead), length, now);
        }

        int room(boolean urgent) {
            int r = (urgent ? peer.urgentRoom() : peer.room()) - taken;
            if (!peer.measured()) {
                r = Math.min(r, PROBE_BLOCKS - peer.criticalOutstanding() - taken);
            }
            return r;
        }

        void take(int length) {
            added += length;
            taken++;
        }
    }
}
