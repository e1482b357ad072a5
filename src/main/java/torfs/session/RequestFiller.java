package torfs.session;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import torfs.geometry.BlockRef;
import torfs.geometry.PieceGeometry;
import torfs.peer.PeerConnection;
import torfs.picker.DeadlineScheduler;
import torfs.picker.PiecePicker;
import torfs.picker.Priority;

/**
 * Keeps each peer's request pipeline full, on the torrent's loop: blocks readers need by a
 * deadline first, placed by the {@link DeadlineScheduler} on the peers expected to deliver them
 * soonest, then the background from the {@link PiecePicker}.
 *
 * <p>A peer serves requests in the order it got them. When an urgent block (a blocked read's,
 * or one needed within a second) goes to a peer, that peer's background requests it has not
 * answered yet are cancelled first (all but the oldest {@link #KEEP_HEAD}, which it is likely
 * sending already), and until its urgent blocks have arrived it gets no background requests.
 * While readers need pieces, every {@link #RESCUE_PERIOD_MILLIS} ms (and at once on a choke,
 * a reject or a lost peer) the scheduler also looks for urgent blocks a slow, stalled or
 * choking peer holds and moves them: a request at a faster peer and a CANCEL at the old one.
 * A peer that ignores a cancel, or had sent the block before reading it, still delivers it:
 * the connection takes such a late block and the picker keeps it if it is still wanted. A
 * background block cancelled at a fast peer (which answers every cancel with the block or a
 * reject, BEP 6) is not asked for again until that answer (2 s at most): on loopback most of
 * them are on the wire already, and asking again fetched them twice.
 */
final class RequestFiller {
    /** Oldest requests never cancelled: likely already read from disk and on the wire. */
    static final int KEEP_HEAD = 8;
    /** How often at-risk blocks are looked for while readers need pieces. */
    static final long RESCUE_PERIOD_MILLIS = 50;
    /** Rate assumed of peers not measured yet while no peer is. */
    static final double DEFAULT_PRIOR_RATE = 1_000_000;
    /** Requests an urgent block may add beyond a peer's target depth. */
    static final int URGENT_EXTRA = 4;

    private final PiecePicker picker;
    private final Map<Integer, PeerConnection> peers;
    private final RateLimiter downLimit;
    private final EventLoop loop;
    private final BooleanSupplier closed;
    private final DeadlineScheduler scheduler = new DeadlineScheduler();
    /** Peers with a fill scheduled for when the download limit has tokens again. */
    private final Set<Integer> fillRetry = new HashSet<>();
    /** Peers seen measured: the first time is a reason to plan again. */
    private final Set<Integer> measured = new HashSet<>();
    private ScheduledFuture<?> rescueTimer;
    /** No background requests before this (nanoTime) unless a reader came first. */
    private long backgroundFrom;
    private boolean heldBackground;
    private boolean readerSeen;

    RequestFiller(PiecePicker picker, Map<Integer, PeerConnection> peers,
                  RateLimiter downLimit, EventLoop loop, BooleanSupplier closed) {
        this.picker = picker;
        this.peers = peers;
        this.downLimit = downLimit;
        this.loop = loop;
        this.closed = closed;
    }

    /**
     * Holds the background download for {@code nanos} from now or until a reader needs a
     * piece, whichever comes first: the first peers are then asked for the read's piece first.
     * HIGH pieces go meanwhile: a full download's file ends, what a player reads first.
     */
    void holdBackground(long nanos) {
        backgroundFrom = System.nanoTime() + nanos;
        heldBackground = nanos > 0;
    }

    /** The peer is gone. */
    void peerGone(int id) {
        measured.remove(id);
        fillRetry.remove(id);
    }

    /** Tops the peer's pipeline up: critical blocks it is a good choice for, then background. */
    void fill(PeerConnection p) {
        if (closed.getAsBoolean()) {
            return;
        }
        if (picker.hasCritical() && p.isMeasured() && measured.add(p.id())) {
            reschedule(); // its pace is known now: urgent blocks held by unknown peers can go to it
            return;
        }
        long now = System.nanoTime();
        if (picker.hasCritical() && !p.peerChoking()) {
            List<SchedulerPeer> views = views(now);
            SchedulerPeer self = null;
            for (SchedulerPeer v : views) {
                if (v.connection() == p) {
                    self = v;
                    break;
                }
            }
            if (self != null) {
                execute(scheduler.plan(now, views, picker.critical(), false, self), views);
            }
        }
        fillBackground(p, now);
    }

    /** Plans every peer at once, with rescue of at-risk blocks, then tops up the background. */
    void reschedule() {
        if (closed.getAsBoolean()) {
            return;
        }
        long now = System.nanoTime();
        if (picker.hasCritical()) {
            List<SchedulerPeer> views = views(now);
            for (SchedulerPeer v : views) {
                preempt(v.connection(), holdsUrgent(v.connection(), now), false);
            }
            // preempting changed queues: look again
            views = views(now);
            execute(scheduler.plan(now, views, picker.critical(), true, null), views);
            ensureRescueTimer();
        }
        for (PeerConnection p : List.copyOf(peers.values())) {
            fillBackground(p, now);
        }
    }

    private void ensureRescueTimer() {
        if (rescueTimer == null) {
            rescueTimer = loop.scheduleAtFixedRate(() -> {
                if (closed.getAsBoolean() || !picker.hasCritical()) {
                    rescueTimer.cancel(false);
                    rescueTimer = null;
                    return;
                }
                reschedule();
            }, RESCUE_PERIOD_MILLIS, RESCUE_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private List<SchedulerPeer> views(long now) {
        double prior = priorRate();
        List<SchedulerPeer> out = new ArrayList<>(peers.size());
        for (PeerConnection p : peers.values()) {
            out.add(new SchedulerPeer(p, picker, URGENT_EXTRA, prior, now));
        }
        return out;
    }

    /** The median measured rate of the peers: what a peer not measured yet is assumed to do. */
    private double priorRate() {
        double[] rates = new double[peers.size()];
        int n = 0;
        for (PeerConnection p : peers.values()) {
            if (p.isMeasured()) {
                rates[n++] = p.measuredRate();
            }
        }
        if (n == 0) {
            return DEFAULT_PRIOR_RATE;
        }
        Arrays.sort(rates, 0, n);
        return rates[n / 2];
    }

    /** Sends the plan: per peer, moves' cancels, a preempt before urgent blocks, the requests. */
    private void execute(List<DeadlineScheduler.Request> plan, List<SchedulerPeer> views) {
        if (plan.isEmpty()) {
            return;
        }
        Map<Integer, List<DeadlineScheduler.Request>> byPeer = new LinkedHashMap<>();
        for (DeadlineScheduler.Request r : plan) {
            byPeer.computeIfAbsent(r.peer(), k -> new ArrayList<>()).add(r);
        }
        long now = System.nanoTime();
        double prior = priorRate();
        for (Map.Entry<Integer, List<DeadlineScheduler.Request>> e : byPeer.entrySet()) {
            if (e.getKey() < 0) {
                for (DeadlineScheduler.Request r : e.getValue()) {
                    withdraw(r.from(), r.block());
                }
                continue;
            }
            PeerConnection p = peers.get(e.getKey());
            if (p == null) {
                continue;
            }
            List<DeadlineScheduler.Request> asked = granted(p, e.getValue(), now);
            boolean urgent = false;
            boolean blocked = false;
            List<BlockRef> blocks = new ArrayList<>(asked.size());
            for (DeadlineScheduler.Request r : asked) {
                if (r.from() >= 0) {
                    withdraw(r.from(), r.block());
                }
                if (picker.requestBlock(p.id(), r.block())) {
                    blocks.add(r.block());
                    urgent |= r.urgent();
                    blocked |= picker.isBlocked(r.block().piece());
                }
            }
            if (urgent) {
                preempt(p, true, blocked);
            }
            p.request(blocks, prior);
        }
    }

    /**
     * Cancels a request a peer holds late (or will never answer): the block is open again at
     * once, even where the peer owes an answer to the cancel (a stalled peer would never give
     * it); a copy it sent meanwhile is still taken.
     */
    private void withdraw(int from, BlockRef block) {
        PeerConnection old = peers.get(from);
        if (old != null) {
            old.cancel(block);
        }
        picker.requestDropped(from, block);
    }

    /** The requests the download limit lets us send now (all of them without a limit). */
    private List<DeadlineScheduler.Request> granted(PeerConnection p, List<DeadlineScheduler.Request> wanted,
                                                    long now) {
        if (downLimit.isUnlimited()) {
            return wanted;
        }
        long granted = downLimit.tryAcquire(p.id(), (long) wanted.size() * PieceGeometry.BLOCK_SIZE, now);
        int n = (int) Math.min(wanted.size(), granted / PieceGeometry.BLOCK_SIZE);
        if (n < wanted.size()) {
            retryLater(p, now);
        }
        return wanted.subList(0, n);
    }

    /** Background blocks for the peer's free slots, unless it holds urgent blocks. */
    private void fillBackground(PeerConnection p, long now) {
        if (closed.getAsBoolean()) {
            return;
        }
        int slots = p.requestSlots();
        if (slots <= 0) {
            return;
        }
        // held before a first read: only HIGH pieces (a full download's file ends) go meanwhile
        boolean held = backgroundHeld(now);
        List<BlockRef> picked;
        if (held && p.peerChoking()) {
            return;
        } else if (held) {
            slots = grantedSlots(p, slots, now);
            picked = slots <= 0 ? List.of() : picker.pickHigh(p.id(), slots);
        } else if (p.peerChoking()) {
            // choked by a fast peer: only the pieces it allowed us (BEP 6) may be requested
            slots = grantedSlots(p, slots, now);
            picked = slots <= 0 ? List.of() : picker.pick(p.id(), slots, now, p.allowedFastFromPeer());
        } else if (picker.hasCritical() && holdsUrgent(p, now)) {
            return; // a read waits on this peer: nothing of ours goes ahead of its blocks
        } else {
            slots = grantedSlots(p, slots, now);
            picked = slots <= 0 ? List.of() : picker.pick(p.id(), slots, now);
        }
        p.request(picked, priorRate());
    }

    private boolean backgroundHeld(long now) {
        if (!heldBackground) {
            return false;
        }
        readerSeen |= picker.hasCritical();
        if (readerSeen || now - backgroundFrom >= 0) {
            heldBackground = false;
            return false;
        }
        return true;
    }

    private int grantedSlots(PeerConnection p, int slots, long now) {
        if (downLimit.isUnlimited()) {
            return slots;
        }
        // the download limit is applied to what we ask for: no request, no bytes
        long granted = downLimit.tryAcquire(p.id(), (long) slots * PieceGeometry.BLOCK_SIZE, now);
        int n = (int) (granted / PieceGeometry.BLOCK_SIZE);
        if (n <= 0) {
            retryLater(p, now);
        }
        return n;
    }

    /** Queued for the limit's bucket: come back when our turn is ready, or lose it. */
    private void retryLater(PeerConnection p, long now) {
        if (fillRetry.add(p.id())) {
            long wait = Math.max(1_000_000, downLimit.nanosUntilAvailable(p.id(), now));
            loop.schedule(() -> {
                fillRetry.remove(p.id());
                fill(p);
            }, wait, TimeUnit.NANOSECONDS);
        }
    }

    private boolean holdsUrgent(PeerConnection p, long now) {
        for (BlockRef b : p.outstandingView()) {
            if (picker.isUrgent(b.piece(), now)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A reader went away (its handle closed): requests of pieces nobody wants any more (priority
     * NONE, as a lazy mount's closed window becomes) are cancelled rather than fetched for
     * nobody; a block the peer sent before reading the cancel is still taken.
     */
    void withdrawUnwanted() {
        for (PeerConnection p : peers.values()) {
            List<BlockRef> cancel = new ArrayList<>();
            for (BlockRef b : p.outstandingView()) {
                if (picker.priority(b.piece()) == Priority.NONE) {
                    cancel.add(b);
                }
            }
            for (BlockRef b : p.cancel(cancel)) {
                picker.requestDropped(p.id(), b);
            }
        }
    }

    /**
     * Cancels the peer's unanswered requests that stand in a reader's way, past the oldest
     * {@link #KEEP_HEAD} (which it is likely sending already): with {@code urgent}, every
     * background one (the peer holds or gets an urgent block: nothing of ours competes with it
     * for the peer's disk and link); and any less urgent one queued ahead of a block a read is
     * blocked on (a peer answers in order), with {@code blockedAfter} ahead of blocks about to
     * be sent. What is cancelled goes back to the picker and is asked for again behind (at a
     * fast peer, once it has rejected the block: until then it may be on its way).
     */
    private void preempt(PeerConnection p, boolean urgent, boolean blockedAfter) {
        List<BlockRef> queue = new ArrayList<>(p.outstandingView());
        int lastBlocked = blockedAfter ? queue.size() : -1;
        if (!blockedAfter && picker.hasBlocked()) {
            for (int i = queue.size() - 1; i >= KEEP_HEAD && lastBlocked < 0; i--) {
                if (picker.isBlocked(queue.get(i).piece())) {
                    lastBlocked = i;
                }
            }
        }
        List<BlockRef> cancel = new ArrayList<>();
        for (int i = KEEP_HEAD; i < queue.size(); i++) {
            BlockRef b = queue.get(i);
            boolean background = picker.priority(b.piece()).compareTo(Priority.READAHEAD) < 0;
            if ((urgent && background) || (i < lastBlocked && !picker.isBlocked(b.piece()))) {
                cancel.add(b);
            }
        }
        for (BlockRef b : p.cancel(cancel)) {
            picker.requestDropped(p.id(), b); // the rest once the peer rejects them
        }
    }
}
