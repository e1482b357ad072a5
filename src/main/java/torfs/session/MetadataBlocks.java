package torfs.session;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import torfs.wire.MetadataMessage;

/**
 * The blocks of one info dictionary being fetched with ut_metadata: which are here and from
 * whom, which are asked of which peer until when, and which each peer refused (rejected or let
 * time out) so it is not asked for them again. No I/O, no threads; peers are numbers.
 *
 * <p>A block is taken only from a peer that was asked for it (a late answer after a timeout
 * counts) and only at its exact length; anything else says the peer is broken. A peer that
 * counts one block too many (rtorrent, when the size is a multiple of 16 KiB) and sends it
 * empty is ignored, not punished.
 */
final class MetadataBlocks {
    enum Outcome {
        /** The block is new and kept. */
        STORED,
        /** Harmless and unused: a late duplicate or the empty block past the end. */
        IGNORED,
        /** Not asked for, of the wrong length or index: drop the peer. */
        BAD
    }

    private final int size;
    private final int count;
    private final byte[][] blocks;
    private final int[] from;
    /** The peer each block is asked of now (0: nobody), and until when. */
    private final int[] askedOf;
    private final long[] deadline;
    /** Every block asked of a peer and not answered yet, timed out or not. */
    private final Map<Integer, Set<Integer>> asked = new HashMap<>();
    private final Map<Integer, Set<Integer>> refused = new HashMap<>();
    /** Blocks asked of a peer in an earlier round: their late answers are dropped, not held against it. */
    private final Map<Integer, Set<Integer>> excused = new HashMap<>();
    private int have;

    MetadataBlocks(int size) {
        if (size <= 0 || size > MetadataMessage.MAX_SIZE) {
            throw new IllegalArgumentException("metadata size " + size);
        }
        this.size = size;
        this.count = MetadataMessage.blockCount(size);
        this.blocks = new byte[count][];
        this.from = new int[count];
        this.askedOf = new int[count];
        this.deadline = new long[count];
    }

    int size() {
        return size;
    }

    boolean isComplete() {
        return have == count;
    }

    /** Blocks asked of {@code peer} and neither answered nor timed out. */
    int outstanding(int peer) {
        int n = 0;
        for (int p : askedOf) {
            n += p == peer ? 1 : 0;
        }
        return n;
    }

    /**
     * A block to ask {@code peer} for, now recorded as asked until {@code until}; -1 when
     * every missing block is here, asked of someone, or refused by this peer.
     */
    int next(int peer, long until) {
        Set<Integer> no = refused.getOrDefault(peer, Set.of());
        for (int i = 0; i < count; i++) {
            if (blocks[i] == null && askedOf[i] == 0 && !no.contains(i)) {
                askedOf[i] = peer;
                deadline[i] = until;
                asked.computeIfAbsent(peer, k -> new HashSet<>()).add(i);
                return i;
            }
        }
        return -1;
    }

    /** True when a missing block exists that {@code peer} has not refused. */
    boolean canHelp(int peer) {
        Set<Integer> no = refused.getOrDefault(peer, Set.of());
        for (int i = 0; i < count; i++) {
            if (blocks[i] == null && !no.contains(i)) {
                return true;
            }
        }
        return false;
    }

    Outcome accept(int peer, int piece, byte[] data) {
        if (piece == count && data.length == 0) {
            return Outcome.IGNORED;
        }
        if (piece < 0 || piece >= count) {
            return Outcome.BAD;
        }
        Set<Integer> mine = asked.get(peer);
        if (mine == null || !mine.remove(piece)) {
            Set<Integer> earlier = excused.get(peer);
            return earlier != null && earlier.remove(piece) ? Outcome.IGNORED : Outcome.BAD;
        }
        if (data.length != MetadataMessage.blockLength(size, piece)) {
            return Outcome.BAD;
        }
        if (blocks[piece] != null) {
            return Outcome.IGNORED;
        }
        blocks[piece] = data;
        from[piece] = peer;
        askedOf[piece] = 0;
        have++;
        return Outcome.STORED;
    }

    /** The peer will not send {@code piece}: ask someone else. */
    void rejected(int peer, int piece) {
        Set<Integer> mine = asked.get(peer);
        if (mine == null || !mine.remove(piece)) {
            return; // a reject of what we never asked (or past the end): nothing to undo
        }
        refused.computeIfAbsent(peer, k -> new HashSet<>()).add(piece);
        if (askedOf[piece] == peer) {
            askedOf[piece] = 0;
        }
    }

    /** Requests past their deadline go back to the pool; returns the peers that let them lapse. */
    List<Integer> expire(long now) {
        List<Integer> late = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int p = askedOf[i];
            if (p != 0 && now - deadline[i] > 0) {
                askedOf[i] = 0;
                refused.computeIfAbsent(p, k -> new HashSet<>()).add(i);
                late.add(p);
            }
        }
        return late;
    }

    void peerGone(int peer) {
        for (int i = 0; i < count; i++) {
            if (askedOf[i] == peer) {
                askedOf[i] = 0;
            }
        }
        asked.remove(peer);
        refused.remove(peer);
        excused.remove(peer);
    }

    /**
     * Empty blocks of the same size for a fresh start. What was asked of {@code keep} and not
     * answered is excused: a late answer is dropped, not used and not held against the peer.
     */
    MetadataBlocks restart(Set<Integer> keep) {
        MetadataBlocks b = new MetadataBlocks(size);
        for (int peer : keep) {
            Set<Integer> mine = asked.get(peer);
            if (mine != null) {
                b.excused.put(peer, new HashSet<>(mine));
            }
        }
        return b;
    }

    /** The peers whose blocks are here. */
    Set<Integer> contributors() {
        Set<Integer> s = new HashSet<>();
        for (int i = 0; i < count; i++) {
            if (blocks[i] != null) {
                s.add(from[i]);
            }
        }
        return s;
    }

    /** The whole dictionary; only when complete. */
    byte[] assemble() {
        if (!isComplete()) {
            throw new IllegalStateException("metadata incomplete");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        for (byte[] b : blocks) {
            out.writeBytes(b);
        }
        return out.toByteArray();
    }
}
