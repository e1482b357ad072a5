package torfs.picker;

import java.util.Arrays;
import torfs.geometry.BlockRef;

/** A critical piece for {@link DeadlineScheduler} pictures: 16 KiB blocks, each open, held or received. */
final class TestPiece implements DeadlineScheduler.Piece {
    private final int piece;
    private final long deadline;
    private final boolean blocked;
    private final int[][] holders;
    private final boolean[] received;
    /** How many times {@link #block} was called: what a plan looked at. */
    int blocksMade;

    TestPiece(int piece, int blocks, long deadline, boolean blocked) {
        this.piece = piece;
        this.deadline = deadline;
        this.blocked = blocked;
        this.holders = new int[blocks][0];
        this.received = new boolean[blocks];
    }

    /** A piece a read is blocked on since {@code since}. */
    static TestPiece blocked(int piece, int blocks, long since) {
        return new TestPiece(piece, blocks, since, true);
    }

    /** A readahead piece needed by {@code deadline}. */
    static TestPiece needed(int piece, int blocks, long deadline) {
        return new TestPiece(piece, blocks, deadline, false);
    }

    TestPiece heldBy(int block, TimedPeer peer, long at) {
        holders[block] = Arrays.copyOf(holders[block], holders[block].length + 1);
        holders[block][holders[block].length - 1] = peer.id;
        peer.hold(block(block), at);
        return this;
    }

    TestPiece received(int block) {
        received[block] = true;
        return this;
    }

    @Override
    public int piece() {
        return piece;
    }

    @Override
    public long deadline() {
        return deadline;
    }

    @Override
    public boolean blocked() {
        return blocked;
    }

    @Override
    public int blockCount() {
        return received.length;
    }

    @Override
    public BlockRef block(int index) {
        blocksMade++;
        return new BlockRef(piece, index * TimedPeer.BLOCK, TimedPeer.BLOCK);
    }

    @Override
    public boolean isOpen(int index) {
        return !received[index] && holders[index].length == 0;
    }

    @Override
    public boolean isReceived(int index) {
        return received[index];
    }

    @Override
    public int[] holders(int index) {
        return holders[index].clone();
    }

    @Override
    public int openCount() {
        int n = 0;
        for (int i = 0; i < received.length; i++) {
            if (isOpen(i)) {
                n++;
            }
        }
        return n;
    }
}
