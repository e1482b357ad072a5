package torfs.picker;

import java.util.HashMap;
import java.util.Map;
import torfs.geometry.Bitfield;

/**
 * What the connected peers have: each peer's have-set and, per piece, how many non-seed peers
 * have it. Seeds (HAVE_ALL, a full bitfield, or the HAVE that completes one) are one counter,
 * so a seed costs no per-piece work or memory. Every change of a piece's count is reported to
 * the listener, which keeps the pick order in step.
 */
final class Swarm {
    interface Listener {
        void availabilityChanged(int piece, int before, int after);

        /** About to change this many pieces' counts: a listener may prefer one rebuild later. */
        void manyChanges(int count);
    }

    private final int pieceCount;
    private final int[] count;
    private int seeds;
    private final Map<Integer, PeerHaves> peers = new HashMap<>();
    private final Listener listener;

    Swarm(int pieceCount, Listener listener) {
        this.pieceCount = pieceCount;
        this.count = new int[pieceCount];
        this.listener = listener;
    }

    PeerHaves peer(int id) {
        return peers.get(id);
    }

    /** Non-seed peers having the piece: what the order sorts by (seeds add the same to all). */
    int nonSeedCount(int piece) {
        return count[piece];
    }

    int availability(int piece) {
        return count[piece] + seeds;
    }

    void bitfield(int id, Bitfield has) {
        if (has.size() != pieceCount) {
            throw new IllegalArgumentException("bitfield of " + has.size() + " pieces, expected " + pieceCount);
        }
        if (has.isComplete()) {
            haveAll(id);
            return;
        }
        PeerHaves p = state(id);
        Bitfield old = p.has;
        if (old == null) {
            seeds--;
            old = new Bitfield(pieceCount);
        }
        listener.manyChanges(has.cardinality() + old.cardinality());
        for (int i = old.nextSet(0); i >= 0; i = old.nextSet(i + 1)) {
            if (!has.get(i)) {
                change(i, -1);
            }
        }
        for (int i = has.nextSet(0); i >= 0; i = has.nextSet(i + 1)) {
            if (!old.get(i)) {
                change(i, +1);
            }
        }
        p.has = has.copy();
        p.haveCount = has.cardinality();
        p.interestWitness = -1;
        p.boredAtEpoch = -1;
    }

    void haveAll(int id) {
        PeerHaves p = state(id);
        if (p.isSeed()) {
            return;
        }
        drop(p.has);
        p.has = null;
        p.haveCount = pieceCount;
        seeds++;
    }

    void haveNone(int id) {
        PeerHaves p = state(id);
        if (p.isSeed()) {
            seeds--;
        } else {
            drop(p.has);
        }
        p.has = new Bitfield(pieceCount);
        p.haveCount = 0;
        p.interestWitness = -1;
        p.boredAtEpoch = -1;
    }

    /** True when this HAVE is news. */
    boolean have(int id, int piece) {
        if (piece < 0 || piece >= pieceCount) {
            throw new IndexOutOfBoundsException("piece " + piece + " of " + pieceCount);
        }
        PeerHaves p = state(id);
        if (p.has(piece)) {
            return false;
        }
        p.has.set(piece);
        p.haveCount++;
        change(piece, +1);
        if (p.haveCount == pieceCount) {
            haveAll(id); // became a seed: one counter instead of a bit per piece
        }
        return true;
    }

    /**
     * BEP 54 DONT_HAVE: the peer dropped the piece (a capped cache). A seed that drops one
     * is a seed no longer: it gets a bit per piece again. True when it had the piece.
     */
    boolean dontHave(int id, int piece) {
        if (piece < 0 || piece >= pieceCount) {
            throw new IndexOutOfBoundsException("piece " + piece + " of " + pieceCount);
        }
        PeerHaves p = peers.get(id);
        if (p == null || !p.has(piece)) {
            return false;
        }
        if (p.isSeed()) {
            seeds--; // every piece one less, then one more for each it keeps
            p.has = Bitfield.full(pieceCount);
            p.haveCount = pieceCount;
            listener.manyChanges(pieceCount);
            for (int i = 0; i < pieceCount; i++) {
                if (i != piece) {
                    change(i, +1);
                }
            }
        } else {
            change(piece, -1);
        }
        p.has.clear(piece);
        p.haveCount--;
        if (p.interestWitness == piece) {
            p.interestWitness = -1;
        }
        return true;
    }

    /** Removes the peer and its availability; returns its state, or null if unknown. */
    PeerHaves gone(int id) {
        PeerHaves p = peers.remove(id);
        if (p != null) {
            if (p.isSeed()) {
                seeds--;
            } else {
                drop(p.has);
            }
        }
        return p;
    }

    private PeerHaves state(int id) {
        return peers.computeIfAbsent(id, x -> new PeerHaves(pieceCount));
    }

    private void drop(Bitfield has) {
        listener.manyChanges(has.cardinality());
        for (int i = has.nextSet(0); i >= 0; i = has.nextSet(i + 1)) {
            change(i, -1);
        }
    }

    private void change(int piece, int delta) {
        int before = count[piece];
        count[piece] = before + delta;
        listener.availabilityChanged(piece, before, before + delta);
    }
}
