package torfs.picker;

import java.util.HashSet;
import java.util.Set;
import torfs.geometry.Bitfield;

/** What the picker knows of one peer: its have-set (none kept for a seed) and its requests. */
final class PeerHaves {
    /** Null while the peer is a seed: seeds are a counter, not a bitfield per piece. */
    Bitfield has;
    int haveCount;
    /** Outstanding requests as {@link PiecePicker#key}(piece, block). */
    final Set<Long> outstanding = new HashSet<>();
    /** A wanted piece this peer has, or -1: makes the common isInteresting() check O(1). */
    int interestWitness = -1;
    /** The want-growth epoch at which a full scan found nothing wanted, or -1. */
    long boredAtEpoch = -1;

    PeerHaves(int pieceCount) {
        has = new Bitfield(pieceCount);
    }

    boolean isSeed() {
        return has == null;
    }

    boolean has(int piece) {
        return has == null || has.get(piece);
    }
}
