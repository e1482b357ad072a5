package torfs.picker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import torfs.geometry.Bitfield;
import torfs.geometry.BlockRef;
import torfs.geometry.PieceGeometry;
import torfs.geometry.PieceRange;

/**
 * Decides which blocks to request from which peer. It tracks:
 * <ul>
 * <li>the pieces we have (verified) and how many are missing;</li>
 * <li>each piece's priority: an explicit one set per range, or the default (NORMAL, or NONE for a
 *     lazy mount; HIGH instead of NORMAL for the preferred pieces, a full download's
 *     {@link FileEnds}), plus a deadline for the pieces readers need (NOW: a read is blocked on it;
 *     READAHEAD: a reader will need it by then), kept in deadline order ({@link CriticalPieces});</li>
 * <li>availability: for each piece, how many non-seed peers have it, plus one counter for
 *     seeds (HAVE_ALL or a full bitfield), so a seed costs nothing per piece;</li>
 * <li>each peer's have-set and its outstanding requests;</li>
 * <li>the fresh wanted pieces, bucketed by (priority band, availability) in random order inside
 *     a bucket ({@link PieceOrder}), so a pick reads the rarest pieces first without scanning;</li>
 * <li>the started ("partial") pieces: per block open / requested-by-whom / received, and the
 *     peers that contributed data (to ban them when the hash fails).</li>
 * </ul>
 * The critical pieces (NOW and READAHEAD) are not picked here: which peer fetches a block a
 * reader needs by a deadline depends on every peer's speed and queue, which the caller weighs
 * with a {@link DeadlineScheduler} over {@link #critical()} and records with
 * {@link #requestBlock}. {@link #pick} serves the background: HIGH, then NORMAL; inside each,
 * started pieces first (the asking peer's own first, then rarest), then fresh pieces rarest
 * first with a random tie-break; the preferred pieces go first in HIGH, in piece order (a
 * player needs a file's first piece first). NONE pieces are never requested. When every missing block of
 * every wanted piece is requested, end game duplicates outstanding background blocks to other
 * peers (never twice to the same peer) and {@link #peersToCancel} tells whom to cancel.
 *
 * <p>Pure logic: no I/O, no threads, no clock (times are passed in as nanos), no locks. The
 * caller confines it to one thread. Peers are ints chosen by the caller.
 */
public final class PiecePicker {
    private static final Priority[] PRIORITIES = Priority.values();

    private final PieceGeometry geometry;
    private final int pieceCount;
    private final Random random;
    private final Bitfield have;
    private int haveCount;
    private Priority defaultPriority = Priority.NORMAL;
    /** Priority ordinal set for each piece, or -1 for the default. */
    private final byte[] explicitPriority;
    /** Pieces whose default is HIGH where the default is NORMAL: see {@link #preferByDefault}. */
    private final BitSet preferred = new BitSet();
    private final CriticalPieces critical = new CriticalPieces();
    /** Pieces not had with priority above NONE. */
    private int wantedCount;
    /** Bumped whenever a piece becomes wanted: a peer found boring may be interesting again. */
    private long wantGrowthEpoch;
    private final Swarm swarm;
    private final PieceOrder order;
    private boolean orderDirty = true;
    private final Map<Integer, DownloadingPiece> downloading = new HashMap<>();
    /** Mirror of downloading's keys, for the O(pieces) rebuild without boxing. */
    private final BitSet started = new BitSet();
    private final Map<Integer, Set<Integer>> failedContributors = new HashMap<>();
    /** Asked before a piece starts downloading: a capped cache may have no room yet. */
    private BooleanSupplier startGate = () -> true;

    public PiecePicker(PieceGeometry geometry, Bitfield have, Random random) {
        if (have.size() != geometry.pieceCount()) {
            throw new IllegalArgumentException("have-set of " + have.size() + " pieces for a torrent of "
                    + geometry.pieceCount());
        }
        this.geometry = geometry;
        this.pieceCount = geometry.pieceCount();
        this.random = random;
        this.have = have.copy();
        this.haveCount = have.cardinality();
        this.explicitPriority = new byte[pieceCount];
        Arrays.fill(explicitPriority, (byte) -1);
        this.swarm = new Swarm(pieceCount, new OrderUpdater());
        this.order = new PieceOrder(pieceCount);
        this.wantedCount = pieceCount - haveCount;
    }

    /**
     * Asked before each piece starts downloading (blocks of pieces already started are always
     * picked): false holds new pieces back until the caller refreshes its picks (a capped cache
     * waiting for evicted pieces' bytes to leave the disk).
     */
    public void setStartGate(BooleanSupplier gate) {
        this.startGate = gate;
    }

    // ---- priorities ----

    /** The priority of every piece without an explicit one; NOW is not allowed (no deadline). */
    public void setDefaultPriority(Priority p) {
        if (p == Priority.NOW) {
            throw new IllegalArgumentException("NOW needs a deadline; set it per range");
        }
        if (p == defaultPriority) {
            return;
        }
        defaultPriority = p;
        wantedCount = 0;
        for (int i = have.nextClear(0); i >= 0; i = have.nextClear(i + 1)) {
            if (priority(i) != Priority.NONE) {
                wantedCount++;
            }
        }
        wantGrowthEpoch++;
        orderDirty = true;
    }

    /**
     * Makes HIGH, in piece order, the default of these pieces while the default is NORMAL (a full
     * download fetching its files' ends first): a NONE default (a lazy mount) keeps them NONE,
     * and an explicit priority beats it and, cleared, gives it back, so a reader's wish and this
     * never undo each other.
     */
    public void preferByDefault(Collection<PieceRange> ranges) {
        for (PieceRange r : ranges) {
            if (r.end() > pieceCount) {
                throw new IndexOutOfBoundsException("range " + r + " beyond " + pieceCount + " pieces");
            }
            preferred.set(r.first(), r.end());
        }
        orderDirty = true; // NORMAL and HIGH are both wanted: only the bands change
    }

    /** Sets the pieces' priority; {@code deadlineNanos} matters for NOW and READAHEAD only. */
    public void setPriority(PieceRange r, Priority p, long deadlineNanos) {
        setPriority(r, p, deadlineNanos, 0);
    }

    /**
     * Sets the pieces' priority with graded deadlines (NOW and READAHEAD): the range's first
     * piece is needed by {@code deadlineNanos}, each further one {@code nanosPerPiece} later.
     */
    public void setPriority(PieceRange r, Priority p, long deadlineNanos, long nanosPerPiece) {
        applyPriority(r, (byte) p.ordinal(), deadlineNanos, nanosPerPiece);
    }

    /** Returns the pieces to the default priority. */
    public void clearPriority(PieceRange r) {
        applyPriority(r, (byte) -1, 0, 0);
    }

    public Priority priority(int piece) {
        byte e = explicitPriority[piece];
        if (e >= 0) {
            return PRIORITIES[e];
        }
        return defaultPriority == Priority.NORMAL && preferred.get(piece) ? Priority.HIGH : defaultPriority;
    }

    private void applyPriority(PieceRange r, byte value, long deadlineNanos, long nanosPerPiece) {
        if (r.end() > pieceCount) {
            throw new IndexOutOfBoundsException("range " + r + " beyond " + pieceCount + " pieces");
        }
        // moving a piece across priority bands costs O(buckets); past some size a rebuild is cheaper
        if ((long) r.count() * PieceOrder.BUCKETS > Math.max(pieceCount, 4096)) {
            orderDirty = true;
        }
        for (int i = r.first(); i < r.end(); i++) {
            boolean wasWanted = isWanted(i);
            explicitPriority[i] = value;
            Priority now = priority(i);
            if (isCritical(now) && !have.get(i)) {
                critical.put(i, now == Priority.NOW, deadlineNanos + (long) (i - r.first()) * nanosPerPiece);
            } else {
                critical.remove(i);
            }
            boolean wanted = isWanted(i);
            if (wanted != wasWanted) {
                wantedCount += wanted ? 1 : -1;
                if (wanted) {
                    wantGrowthEpoch++;
                }
            }
            reorder(i);
        }
    }

    private boolean isWanted(int piece) {
        return !have.get(piece) && priority(piece) != Priority.NONE;
    }

    private static boolean isCritical(Priority p) {
        return p == Priority.NOW || p == Priority.READAHEAD;
    }

    /** 0 = HIGH, 1 = NORMAL; -1 for NONE and the critical ones (they live in {@link #critical}). */
    static int band(Priority p) {
        switch (p) {
            case HIGH:
                return 0;
            case NORMAL:
                return 1;
            default:
                return -1;
        }
    }

    private int orderKey(int piece) {
        if (have.get(piece) || started.get(piece)) {
            return -1;
        }
        int band = band(priority(piece));
        return band < 0 ? -1 : PieceOrder.key(band, swarm.nonSeedCount(piece));
    }

    /** Puts a piece where it belongs in the fresh order after any change to it. */
    private void reorder(int piece) {
        if (orderDirty) {
            return;
        }
        int key = orderKey(piece);
        boolean in = order.contains(piece);
        if (key < 0) {
            if (in) {
                order.remove(piece);
            }
        } else if (in) {
            order.move(piece, key, random);
        } else {
            order.insert(piece, key, random);
        }
    }

    private void ensureOrder() {
        if (orderDirty) {
            order.rebuild(this::orderKey, random);
            orderDirty = false;
        }
    }

    // ---- peers' have-sets ----

    /** Replaces the peer's have-set (a BITFIELD, also a late one after HAVEs). */
    public void peerBitfield(int peer, Bitfield has) {
        swarm.bitfield(peer, has);
    }

    public void peerHaveAll(int peer) {
        swarm.haveAll(peer);
    }

    public void peerHaveNone(int peer) {
        swarm.haveNone(peer);
    }

    public void peerHave(int peer, int piece) {
        if (swarm.have(peer, piece) && isWanted(piece)) {
            swarm.peer(peer).interestWitness = piece;
        }
    }

    /**
     * The peer dropped the piece (BEP 54 DONT_HAVE): one less has it. Its requests of the
     * piece are the caller's to drop ({@link #requestDropped}), as the connection withdraws them.
     */
    public void peerDontHave(int peer, int piece) {
        swarm.dontHave(peer, piece);
    }

    /** Forgets the peer: its availability and its outstanding requests (those blocks reopen). */
    public void peerGone(int peer) {
        PeerHaves p = swarm.gone(peer);
        if (p != null) {
            for (long k : p.outstanding) {
                releaseRequest(peer, pieceOf(k), blockOf(k));
            }
        }
    }

    /** True when the peer has a piece we want (priority above NONE, not had). */
    public boolean isInteresting(int peer) {
        PeerHaves p = swarm.peer(peer);
        if (p == null) {
            return false;
        }
        if (p.isSeed()) {
            return wantedCount > 0;
        }
        int w = p.interestWitness;
        if (w >= 0 && p.has.get(w) && isWanted(w)) {
            return true;
        }
        if (w < 0 && p.boredAtEpoch == wantGrowthEpoch) {
            return false;
        }
        // full scan, starting after the stale witness so repeated scans move forward
        int from = Math.max(w, 0);
        int found = scanWanted(p.has, from, pieceCount);
        if (found < 0) {
            found = scanWanted(p.has, 0, from);
        }
        p.interestWitness = found;
        p.boredAtEpoch = found < 0 ? wantGrowthEpoch : -1;
        return found >= 0;
    }

    private int scanWanted(Bitfield has, int from, int to) {
        for (int i = has.nextSet(from); i >= 0 && i < to; i = has.nextSet(i + 1)) {
            if (isWanted(i)) {
                return i;
            }
        }
        return -1;
    }

    /** Peers that have the piece (seeds included). */
    public int availability(int piece) {
        return swarm.availability(piece);
    }

    /** Keeps the fresh order in step with availability; many changes at once mean one rebuild. */
    private final class OrderUpdater implements Swarm.Listener {
        @Override
        public void availabilityChanged(int piece, int before, int after) {
            if (!orderDirty && order.contains(piece)
                    && Math.min(before, PieceOrder.LEVELS - 1) != Math.min(after, PieceOrder.LEVELS - 1)) {
                order.move(piece, orderKey(piece), random);
            }
        }

        @Override
        public void manyChanges(int count) {
            if (count > pieceCount / 16 + 64) {
                orderDirty = true;
            }
        }
    }

    // ---- picking ----

    /**
     * Picks up to {@code max} background blocks (HIGH, then NORMAL) the peer has and marks them
     * requested by it; critical pieces are the caller's, through {@link #requestBlock}. Cost: the
     * started pieces (few), plus the head of the fresh order until enough pieces the peer has are
     * found; a peer with few pieces is matched through its bitfield instead.
     */
    public List<BlockRef> pick(int peer, int max, long nowNanos) {
        return pick(peer, max, PieceOrder.BANDS);
    }

    /** Like {@link #pick(int, int, long)} but HIGH pieces only: what may go before a first read. */
    public List<BlockRef> pickHigh(int peer, int max) {
        return pick(peer, max, 1);
    }

    private List<BlockRef> pick(int peer, int max, int bands) {
        List<BlockRef> out = new ArrayList<>(Math.min(Math.max(max, 0), 64));
        PeerHaves p = swarm.peer(peer);
        if (p == null || max <= 0) {
            return out;
        }
        ensureOrder();
        List<DownloadingPiece> partials = openPartials(peer, p);
        for (int band = 0; band < bands && out.size() < max; band++) {
            for (DownloadingPiece dp : partials) {
                if (band(priority(dp.piece)) == band) {
                    takeOpen(peer, p, dp, max, out);
                }
            }
            if (band == 0) {
                pickPreferred(peer, p, max, out);
            }
            pickFresh(peer, p, band, max, out);
        }
        if (out.size() < max && bands == PieceOrder.BANDS && isEndGame()) {
            EndGame.pickDuplicates(downloading, this::priority, geometry, peer, p, max, out);
        }
        return out;
    }

    /**
     * Like {@link #pick(int, int, long)} but in piece order from {@code fromPiece} (wrapping
     * round): for a source that serves sequential reads best, a web seed. No end game.
     */
    public List<BlockRef> pickInOrder(int peer, int max, int fromPiece) {
        List<BlockRef> out = new ArrayList<>();
        PeerHaves p = swarm.peer(peer);
        for (int band = 0; p != null && band < PieceOrder.BANDS && out.size() < max; band++) {
            for (int i = 0; i < pieceCount && out.size() < max; i++) {
                int piece = (int) (((long) fromPiece + i) % pieceCount);
                if (!have.get(piece) && band(priority(piece)) == band && p.has(piece)) {
                    DownloadingPiece dp = downloading.get(piece);
                    if (dp != null ? dp.open() > 0 : startGate.getAsBoolean()) {
                        takeOpen(peer, p, dp != null ? dp : start(piece), max, out);
                    }
                }
            }
        }
        return out;
    }

    // ---- the pieces readers need by a deadline ----

    /** True while some piece we lack is NOW or READAHEAD. */
    public boolean hasCritical() {
        return !critical.isEmpty();
    }

    /** Missing pieces that readers want (NOW or READAHEAD): soon on disk. */
    public int criticalCount() {
        return critical.size();
    }

    /** True while a read is blocked on a piece we lack. */
    public boolean hasBlocked() {
        return critical.anyBlocked();
    }

    /** A read is blocked on the piece (NOW, not had). */
    public boolean isBlocked(int piece) {
        CriticalPieces.Entry e = critical.get(piece);
        return e != null && e.blocked();
    }

    /** The piece is NOW or READAHEAD (and not had). */
    public boolean isCritical(int piece) {
        return critical.contains(piece);
    }

    /**
     * True when a read waits for the piece, or it is needed within
     * {@link DeadlineScheduler#URGENT_NANOS} of {@code nowNanos}.
     */
    public boolean isUrgent(int piece, long nowNanos) {
        CriticalPieces.Entry e = critical.get(piece);
        return e != null && (e.blocked() || e.deadline() - nowNanos < DeadlineScheduler.URGENT_NANOS);
    }

    /**
     * The critical pieces in the order they are served (blocked reads first, then by deadline)
     * with the state of their blocks: a live view for a {@link DeadlineScheduler}, valid until
     * the picker next changes.
     */
    public Iterable<DeadlineScheduler.Piece> critical() {
        return () -> new java.util.Iterator<>() {
            private final java.util.Iterator<CriticalPieces.Entry> it = critical.iterator();

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public DeadlineScheduler.Piece next() {
                CriticalPieces.Entry e = it.next();
                return new CriticalView(e, downloading.get(e.piece()), geometry);
            }
        };
    }

    /**
     * Marks a block requested by the peer (alongside any other requester); false when the
     * peer lacks the piece, already has the block outstanding, or nobody needs it any more.
     */
    public boolean requestBlock(int peer, BlockRef b) {
        int block = checkBlock(b);
        PeerHaves p = swarm.peer(peer);
        if (p == null || have.get(b.piece()) || !p.has(b.piece()) || priority(b.piece()) == Priority.NONE) {
            return false;
        }
        DownloadingPiece dp = downloading.get(b.piece());
        if (dp == null) {
            if (!startGate.getAsBoolean()) {
                return false;
            }
            dp = start(b.piece());
        }
        if (dp.state(block) == DownloadingPiece.RECEIVED || dp.hasRequester(block, peer)) {
            return false;
        }
        dp.request(block, peer);
        dp.lastPicker = peer;
        p.outstanding.add(key(b.piece(), block));
        return true;
    }

    /**
     * Like {@link #pick(int, int, long)} but only among {@code onlyPieces}: for a peer that chokes
     * us but lets us request its BEP 6 allowed-fast pieces. Few pieces, so no order is needed:
     * by priority (NOW, READAHEAD, HIGH, NORMAL), then deadline; started pieces first, then rarest. No end
     * game duplicates: the peer is choking us, it is not the one to race.
     */
    public List<BlockRef> pick(int peer, int max, long nowNanos, Collection<Integer> onlyPieces) {
        List<BlockRef> out = new ArrayList<>();
        PeerHaves p = swarm.peer(peer);
        if (p == null || max <= 0) {
            return out;
        }
        ensureOrder();
        List<Integer> candidates = new ArrayList<>();
        for (int piece : onlyPieces) {
            if (piece >= 0 && piece < pieceCount && isWanted(piece) && p.has(piece)) {
                DownloadingPiece dp = downloading.get(piece);
                if (dp == null || dp.open() > 0) {
                    candidates.add(piece);
                }
            }
        }
        candidates.sort(Comparator.<Integer>comparingInt(i -> -priority(i).ordinal())
                .thenComparingLong(i -> critical.contains(i) ? critical.get(i).deadline() : 0L)
                .thenComparingInt(i -> downloading.containsKey(i) ? 0 : 1)
                .thenComparingInt(swarm::nonSeedCount)
                .thenComparingInt(i -> i));
        for (int piece : candidates) {
            if (out.size() >= max) {
                break;
            }
            DownloadingPiece dp = downloading.get(piece);
            if (dp == null && !startGate.getAsBoolean()) {
                continue;
            }
            takeOpen(peer, p, dp != null ? dp : start(piece), max, out);
        }
        return out;
    }

    /** Started pieces with open blocks the peer has, its own first, then rarest. */
    private List<DownloadingPiece> openPartials(int peer, PeerHaves p) {
        List<DownloadingPiece> partials = new ArrayList<>();
        for (DownloadingPiece dp : downloading.values()) {
            if (dp.open() > 0 && band(priority(dp.piece)) >= 0 && p.has(dp.piece)) {
                partials.add(dp);
            }
        }
        partials.sort(Comparator.<DownloadingPiece>comparingInt(dp -> dp.lastPicker == peer ? 0 : 1)
                .thenComparingInt(dp -> swarm.nonSeedCount(dp.piece))
                .thenComparingInt(dp -> dp.piece));
        return partials;
    }

    /** The fresh preferred HIGH pieces the peer has, lowest first. O(preferred pieces), a few hundred at most. */
    private void pickPreferred(int peer, PeerHaves p, int max, List<BlockRef> out) {
        for (int piece = preferred.nextSetBit(0); piece >= 0 && out.size() < max;
                piece = preferred.nextSetBit(piece + 1)) {
            if (!have.get(piece) && !started.get(piece) && priority(piece) == Priority.HIGH && p.has(piece)) {
                if (!startGate.getAsBoolean()) {
                    return;
                }
                takeOpen(peer, p, start(piece), max, out);
            }
        }
    }

    private void pickFresh(int peer, PeerHaves p, int band, int max, List<BlockRef> out) {
        int need = max - out.size();
        if (need <= 0) {
            return;
        }
        for (int piece : FreshPieces.choose(order, p, band, need, geometry)) {
            if (!startGate.getAsBoolean()) {
                return;
            }
            takeOpen(peer, p, start(piece), max, out);
        }
    }

    private DownloadingPiece start(int piece) {
        DownloadingPiece dp = new DownloadingPiece(piece, geometry.blocksInPiece(piece));
        downloading.put(piece, dp);
        started.set(piece);
        reorder(piece);
        return dp;
    }

    private void takeOpen(int peer, PeerHaves p, DownloadingPiece dp, int max, List<BlockRef> out) {
        for (int b = dp.firstOpen(); b >= 0 && out.size() < max; b = dp.firstOpen()) {
            dp.request(b, peer);
            dp.lastPicker = peer;
            p.outstanding.add(key(dp.piece, b));
            out.add(geometry.block(dp.piece, b));
        }
    }

    /** Every missing block of every wanted piece is requested (or received). */
    public boolean isEndGame() {
        ensureOrder();
        if (order.size() > 0 || wantedCount == 0) {
            return false;
        }
        return EndGame.everyBlockAsked(critical, downloading, this::priority);
    }

    // ---- arrivals and failures ----

    /**
     * Records a block's data from {@code peer}; true when it is the first copy. A block of a piece
     * not started (unrequested data) is accepted too; one of a piece we have is not new.
     */
    public boolean blockReceived(int peer, BlockRef b) {
        int block = checkBlock(b);
        PeerHaves p = swarm.peer(peer);
        if (p != null) {
            p.outstanding.remove(key(b.piece(), block));
        }
        if (have.get(b.piece())) {
            return false;
        }
        DownloadingPiece dp = downloading.get(b.piece());
        if (dp == null) {
            dp = start(b.piece());
        }
        dp.removeRequester(block, peer);
        if (!dp.receive(block)) {
            return false;
        }
        dp.contributors.add(peer);
        return true;
    }

    /**
     * The other peers that still have this (received) block outstanding; call right after
     * {@link #blockReceived}. Their requests are forgotten: the caller sends them CANCEL.
     */
    public List<Integer> peersToCancel(BlockRef b) {
        int block = checkBlock(b);
        DownloadingPiece dp = downloading.get(b.piece());
        if (dp == null || dp.state(block) != DownloadingPiece.RECEIVED) {
            return List.of();
        }
        int[] requesters = dp.takeRequesters(block);
        if (requesters.length == 0) {
            return List.of(); // the usual case outside end game: no list per block
        }
        List<Integer> out = new ArrayList<>(requesters.length);
        for (int q : requesters) {
            PeerHaves p = swarm.peer(q);
            if (p != null) {
                p.outstanding.remove(key(b.piece(), block));
            }
            out.add(q);
        }
        return out;
    }

    /** The peer will not send this block (reject, choke, timeout): it becomes pickable again. */
    public void requestDropped(int peer, BlockRef b) {
        int block = checkBlock(b);
        PeerHaves p = swarm.peer(peer);
        if (p != null) {
            p.outstanding.remove(key(b.piece(), block));
        }
        releaseRequest(peer, b.piece(), block);
    }

    private void releaseRequest(int peer, int piece, int block) {
        DownloadingPiece dp = downloading.get(piece);
        if (dp != null && dp.removeRequester(block, peer) && dp.isUntouched()) {
            forgetStarted(piece); // nothing asked, nothing received: fresh again
        }
    }

    private void forgetStarted(int piece) {
        DownloadingPiece dp = downloading.remove(piece);
        started.clear(piece);
        if (dp != null) {
            for (int b = 0; b < dp.blockCount; b++) {
                for (int q : dp.takeRequesters(b)) {
                    PeerHaves p = swarm.peer(q);
                    if (p != null) {
                        p.outstanding.remove(key(piece, b));
                    }
                }
            }
        }
        reorder(piece);
    }

    /** Every block received: the caller hashes the piece. */
    public boolean isPieceFullyReceived(int piece) {
        DownloadingPiece dp = downloading.get(piece);
        return dp != null && dp.isFullyReceived();
    }

    /** The piece passed its hash (or was found on disk): we have it. */
    public void pieceVerified(int piece) {
        if (have.get(piece)) {
            return;
        }
        boolean wasWanted = isWanted(piece);
        have.set(piece);
        haveCount++;
        if (wasWanted) {
            wantedCount--;
        }
        critical.remove(piece);
        failedContributors.remove(piece);
        forgetStarted(piece);
    }

    /**
     * The piece left the disk (a capped cache evicted it): we no longer have it, and it is
     * wanted again if its priority says so. The caller re-applies any reader's wish for it.
     */
    public void pieceLost(int piece) {
        if (!have.get(piece)) {
            return;
        }
        have.clear(piece);
        haveCount--;
        if (isWanted(piece)) {
            wantedCount++;
            wantGrowthEpoch++;
        }
        reorder(piece);
    }

    /** Pieces with blocks requested or received but not yet verified. */
    public int downloadingCount() {
        return downloading.size();
    }

    /** The piece failed its hash: every block is reset; contributors() still names the senders. */
    public void pieceFailed(int piece) {
        DownloadingPiece dp = downloading.get(piece);
        if (dp == null) {
            return;
        }
        failedContributors.put(piece, Set.copyOf(dp.contributors));
        forgetStarted(piece);
    }

    /**
     * Peers that sent blocks of the piece's current attempt; when no block of a new attempt has
     * arrived yet, those of the last failed attempt.
     */
    public Set<Integer> contributors(int piece) {
        DownloadingPiece dp = downloading.get(piece);
        if (dp != null && !dp.contributors.isEmpty()) {
            return Collections.unmodifiableSet(new LinkedHashSet<>(dp.contributors));
        }
        return failedContributors.getOrDefault(piece, Set.of());
    }

    /** Requests the picker believes this peer has outstanding. */
    public int outstanding(int peer) {
        PeerHaves p = swarm.peer(peer);
        return p == null ? 0 : p.outstanding.size();
    }

    public boolean isComplete() {
        return haveCount == pieceCount;
    }

    /** A copy of the verified set. */
    public Bitfield have() {
        return have.copy();
    }

    public int missingCount() {
        return pieceCount - haveCount;
    }

    /** Pieces not had whose priority is above NONE. */
    public int wantedCount() {
        return wantedCount;
    }

    private int checkBlock(BlockRef b) {
        int piece = b.piece();
        if (piece < 0 || piece >= pieceCount || b.begin() < 0 || b.begin() % PieceGeometry.BLOCK_SIZE != 0
                || b.begin() >= geometry.pieceSize(piece)
                || b.length() != geometry.blockSize(piece, b.blockIndex())) {
            throw new IllegalArgumentException("not a block of this torrent: " + b);
        }
        return b.blockIndex();
    }

    static long key(int piece, int block) {
        return ((long) piece << 32) | (block & 0xffffffffL);
    }

    private static int pieceOf(long key) {
        return (int) (key >>> 32);
    }

    private static int blockOf(long key) {
        return (int) key;
    }
}
