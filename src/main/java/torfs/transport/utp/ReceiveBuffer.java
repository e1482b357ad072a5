package torfs.transport.utp;

import java.util.ArrayDeque;

/**
 * What a connection received: payloads in order waiting for the application, and packets that
 * arrived ahead of a gap (at most {@link #REORDER_SPAN} sequence numbers ahead), from which the
 * selective ACK is made. The advertised window is the capacity less both; data beyond it is
 * dropped unacked, so a peer that ignores our window cannot grow our memory.
 */
final class ReceiveBuffer {
    /** A selective ACK of 32 bytes covers this many packets past the gap. */
    static final int REORDER_SPAN = 256;
    private static final int MAX_SACK_BYTES = REORDER_SPAN / 8;

    enum Outcome { DELIVERED, BUFFERED, DUPLICATE, DROPPED }

    private final long capacity;
    private final ArrayDeque<byte[]> ready = new ArrayDeque<>();
    private final byte[][] ahead = new byte[REORDER_SPAN][];
    private final boolean[] aheadFin = new boolean[REORDER_SPAN];
    private long readyBytes;
    private long aheadBytes;
    private int aheadCount;
    private int ackNr;
    private boolean eof;

    ReceiveBuffer(int lastInOrderSeq, long capacity) {
        this.ackNr = lastInOrderSeq;
        this.capacity = capacity;
    }

    /** The last sequence number received in order (what we ack). */
    int ackNr() {
        return ackNr;
    }

    /** The dialler learns the peer's first sequence number from its answer to our SYN. */
    void resetTo(int lastInOrderSeq) {
        ackNr = lastInOrderSeq;
    }

    /** Whether the peer's FIN and everything before it arrived. */
    boolean eof() {
        return eof;
    }

    long window() {
        return Math.max(0, capacity - readyBytes - aheadBytes);
    }

    long readyBytes() {
        return readyBytes;
    }

    /** The next in-order payload for the application, or null. */
    byte[] poll() {
        byte[] b = ready.poll();
        if (b != null) {
            readyBytes -= b.length;
        }
        return b;
    }

    Outcome accept(int seq, byte[] payload, boolean fin) {
        int d = Seq.diff(seq, ackNr);
        if (d <= 0) {
            return Outcome.DUPLICATE;
        }
        if (eof || d > REORDER_SPAN || payload.length > window()) {
            return Outcome.DROPPED;
        }
        if (d > 1) {
            int slot = seq % REORDER_SPAN;
            if (ahead[slot] != null) {
                return Outcome.DUPLICATE;
            }
            ahead[slot] = payload;
            aheadFin[slot] = fin;
            aheadBytes += payload.length;
            aheadCount++;
            return Outcome.BUFFERED;
        }
        deliver(payload, fin);
        while (!eof && aheadCount > 0) {
            int slot = Seq.add(ackNr, 1) % REORDER_SPAN;
            byte[] next = ahead[slot];
            if (next == null) {
                break;
            }
            ahead[slot] = null;
            aheadCount--;
            aheadBytes -= next.length;
            deliver(next, aheadFin[slot]);
        }
        if (eof) {
            java.util.Arrays.fill(ahead, null); // nothing counts after the FIN
            aheadCount = 0;
            aheadBytes = 0;
        }
        return Outcome.DELIVERED;
    }

    private void deliver(byte[] payload, boolean fin) {
        ackNr = Seq.add(ackNr, 1);
        if (payload.length > 0) {
            ready.add(payload);
            readyBytes += payload.length;
        }
        eof = fin;
    }

    /**
     * The selective ACK bitmask (bit i of byte j: packet ackNr + 2 + 8j + i arrived), as long as
     * needed for the furthest packet held, in whole 4-byte words; null when nothing is held.
     */
    byte[] selectiveAck() {
        if (aheadCount == 0) {
            return null;
        }
        int furthest = 0;
        for (int i = 0; i < REORDER_SPAN - 1; i++) {
            if (ahead[Seq.add(ackNr, 2 + i) % REORDER_SPAN] != null) {
                furthest = i;
            }
        }
        int bytes = Math.min(MAX_SACK_BYTES, (furthest / 32 + 1) * 4);
        byte[] mask = new byte[bytes];
        for (int i = 0; i < bytes * 8 && i < REORDER_SPAN - 1; i++) {
            if (ahead[Seq.add(ackNr, 2 + i) % REORDER_SPAN] != null) {
                mask[i >> 3] |= (byte) (1 << (i & 7));
            }
        }
        return mask;
    }
}
