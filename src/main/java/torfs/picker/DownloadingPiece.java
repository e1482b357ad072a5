package torfs.picker;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Block-level state of one started piece: each block is open, requested (by one or more peers,
 * several only in end game or for an overdue NOW piece) or received. Also remembers who sent
 * data, so a hash failure can be pinned on its contributors.
 */
final class DownloadingPiece {
    static final byte OPEN = 0;
    static final byte REQUESTED = 1;
    static final byte RECEIVED = 2;
    private static final int[] NONE = new int[0];

    final int piece;
    final int blockCount;
    private final byte[] state;
    /** Peers with the block outstanding; after it arrives, the duplicates still to cancel. */
    private final int[][] requesters;
    private final int[] requesterCount;
    private int open;
    private int received;
    /** Scan start for open blocks: every block before it is not open. */
    private int openHint;
    /** The peer that last took blocks here: it continues this piece before starting another. */
    int lastPicker = Integer.MIN_VALUE;
    final Set<Integer> contributors = new LinkedHashSet<>();

    DownloadingPiece(int piece, int blockCount) {
        this.piece = piece;
        this.blockCount = blockCount;
        this.state = new byte[blockCount];
        this.requesters = new int[blockCount][];
        this.requesterCount = new int[blockCount];
        this.open = blockCount;
    }

    int open() {
        return open;
    }

    int received() {
        return received;
    }

    boolean isFullyReceived() {
        return received == blockCount;
    }

    /** Nothing requested, nothing received: equivalent to a fresh piece. */
    boolean isUntouched() {
        return open == blockCount;
    }

    byte state(int block) {
        return state[block];
    }

    /** The first open block, or -1. */
    int firstOpen() {
        while (openHint < blockCount && state[openHint] != OPEN) {
            openHint++;
        }
        return openHint < blockCount ? openHint : -1;
    }

    void request(int block, int peer) {
        if (state[block] == OPEN) {
            state[block] = REQUESTED;
            open--;
        }
        int n = requesterCount[block];
        int[] r = requesters[block];
        if (r == null || r.length == n) {
            r = r == null ? new int[2] : Arrays.copyOf(r, n * 2);
            requesters[block] = r;
        }
        r[n] = peer;
        requesterCount[block] = n + 1;
    }

    boolean hasRequester(int block, int peer) {
        int[] r = requesters[block];
        for (int i = 0; i < requesterCount[block]; i++) {
            if (r[i] == peer) {
                return true;
            }
        }
        return false;
    }

    /** The peers the block is outstanding at (a copy). */
    int[] requesters(int block) {
        int n = requesterCount[block];
        return n == 0 ? NONE : Arrays.copyOf(requesters[block], n);
    }

    int requesterCount(int block) {
        return requesterCount[block];
    }

    /** Removes one requester; a requested block left with none becomes open again. */
    boolean removeRequester(int block, int peer) {
        int[] r = requesters[block];
        int n = requesterCount[block];
        for (int i = 0; i < n; i++) {
            if (r[i] == peer) {
                r[i] = r[n - 1];
                requesterCount[block] = n - 1;
                if (n == 1 && state[block] == REQUESTED) {
                    state[block] = OPEN;
                    open++;
                    openHint = Math.min(openHint, block);
                }
                return true;
            }
        }
        return false;
    }

    /** Takes and forgets the block's remaining requesters. */
    int[] takeRequesters(int block) {
        int n = requesterCount[block];
        if (n == 0) {
            return NONE;
        }
        int[] out = Arrays.copyOf(requesters[block], n);
        requesterCount[block] = 0;
        return out;
    }

    /** Marks the block received; false when it already was. */
    boolean receive(int block) {
        if (state[block] == RECEIVED) {
            return false;
        }
        if (state[block] == OPEN) {
            open--;
        }
        state[block] = RECEIVED;
        received++;
        return true;
    }
}
