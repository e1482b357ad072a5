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
 * the connection takes such a late block and the picker keeps it if it is still wanted.
 */
final class RequestFiller {
    /** Oldest requests never cancelled: likely already read from disk and on the wire. */
    static final int KEEP_HEAD = 8;
    /** How often at-risk blocks are looked for while readers need pieces. */
    static final long RESCUE_PERIOD_MILLIS = 50;
    /** Rate assumed of peers not measured yet while no peer is. */
    static final double DEFAULT_PRIOR_RATE = 1_000_000;

    private final PiecePicker picker;
    /** Blocks in a (full) piece: how far urgent blocks may exceed the normal depth. */
    private final int urgentExtra;
    private final Map<Integer, PeerConnection> peers;
    private final RateLimiter downLimit;
    private final EventLoop loop;
    private final BooleanSupplier closed;
    private final DeadlineScheduler scheduler = new DeadlineScheduler();
    /** Peers with a fill scheduled for when the download limit has tokens again. */
    private final Set<Integer> fillRetry = new HashSet<>();
    private ScheduledFuture<?> rescueTimer;
    private long moved;

    RequestFiller(PiecePicker picker, int blocksPerPiece, Map<Integer, PeerConnection> peers,
                  RateLimiter downLimit, EventLoop loop, BooleanSupplier closed) {
        this.picker = picker;
        this.urgentExtra = blocksPerPiece;
        this.peers = peers;
        this.downLimit = downLimit;
        this.loop = loop;
        this.closed = closed;
    }

    /** Blocks moved from one peer to another so far (for stats). */
    long moved() {
        return moved;
    }

    /** Tops the peer's pipeline up: critical blocks it is a good choice for, then background. */
    void fill(PeerConnection p) {
        if (closed.getAsBoolean()) {
            return;
        }
        long now = System.nanoTime();
        if (picker.hasCritical() && !p.peerChoking()) {
            List<SchedulerPeer> views = views(now);
            SchedulerPeer self = null;
            for (SchedulerPeer v : views) {
                if (v.connection() == p) {
                    self = v;
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
                if (holdsUrgent(v.connection(), now)) {
                    preempt(v.connection()); // its urgent blocks should not wait behind background
                }
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
            out.add(new SchedulerPeer(p, picker, urgentExtra, prior, now));
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
        for (Map.Entry<Integer, List<DeadlineScheduler.Request>> e : byPeer.entrySet()) {
            PeerConnection p = peers.get(e.getKey());
            if (p == null) {
                continue;
            }
            List<DeadlineScheduler.Request> asked = granted(p, e.getValue(), now);
            boolean urgent = false;
            List<BlockRef> blocks = new ArrayList<>(asked.size());
            for (DeadlineScheduler.Request r : asked) {
                if (r.from() >= 0) {
                    PeerConnection old = peers.get(r.from());
                    if (old != null) {
                        old.cancel(r.block());
                    }
                    picker.requestDropped(r.from(), r.block());
                    moved++;
                }
                if (picker.requestBlock(p.id(), r.block())) {
                    blocks.add(r.block());
                    urgent |= r.urgent();
                }
            }
            if (urgent) {
                preempt(p);
            }
            p.request(blocks);
        }
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
        List<BlockRef> picked;
        if (p.peerChoking()) {
            // choked by a fast peer: only the pieces it allowed us (BEP 6) may be requested
            slots = grantedSlots(p, slots, now);
            picked = slots <= 0 ? List.of() : picker.pick(p.id(), slots, now, p.allowedFastFromPeer());
        } else if (picker.hasCritical() && holdsUrgent(p, now)) {
            return; // a read waits on this peer: nothing of ours goes ahead of its blocks
        } else {
            slots = grantedSlots(p, slots, now);
            picked = slots <= 0 ? List.of() : picker.pick(p.id(), slots, now);
        }
        p.request(picked);
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

    /** Cancels the peer's unanswered background requests past the oldest {@link #KEEP_HEAD}. */
    private void preempt(PeerConnection p) {
        List<BlockRef> behind = new ArrayList<>();
        int i = 0;
        for (BlockRef b : p.outstandingView()) {
            if (i++ >= KEEP_HEAD && picker.priority(b.piece()).compareTo(Priority.READAHEAD) < 0) {
                behind.add(b);
            }
        }
        if (!behind.isEmpty()) {
            p.cancel(behind);
            for (BlockRef b : behind) {
                picker.requestDropped(p.id(), b);
            }
        }
    }
}
