package torfs.picker;

import java.util.ArrayList;
import java.util.List;
import torfs.geometry.BlockRef;
import torfs.peer.DeliveryModel;

/**
 * A peer for {@link DeadlineScheduler} pictures: its timing is a real {@link DeliveryModel}
 * taught a given rate and delay on a fake clock (answers before time 0), then holding the
 * requests the test gives it. Has every piece unless told otherwise.
 */
final class TimedPeer implements DeadlineScheduler.Peer {
    static final int BLOCK = 16384;
    static final long MS = 1_000_000L;
    private static final double PRIOR = 1_000_000;

    final int id;
    final DeliveryModel model = new DeliveryModel();
    private final List<BlockRef> held = new ArrayList<>();
    private final List<Long> sentAt = new ArrayList<>();
    private final List<Long> expectedAt = new ArrayList<>();
    boolean canRequest = true;
    int room = 64;
    int urgentRoom = 128;
    long preemptible;
    java.util.function.IntPredicate has = p -> true;

    private TimedPeer(int id) {
        this.id = id;
    }

    /** A peer measured at {@code bytesPerSecond} with {@code delayMs} before a first answer. */
    static TimedPeer measured(int id, double bytesPerSecond, long delayMs) {
        TimedPeer p = new TimedPeer(id);
        long gap = (long) (BLOCK * 1e9 / bytesPerSecond);
        // two busy spells of answers well before time 0: the first gives the rate, the second's
        // first answer a delay sample no longer inflated by the transfer time
        for (long start : new long[] {-120_000 * MS, -60_000 * MS}) {
            int n = 40; // enough answers that the first one's share of the average is small
            for (int i = 0; i < n; i++) {
                p.model.requested(BLOCK, start);
            }
            for (int i = 0; i < n; i++) {
                p.model.arrived(BLOCK, start, start + delayMs * MS + (i + 1) * gap);
            }
        }
        return p;
    }

    /** A peer that has answered nothing yet. */
    static TimedPeer unmeasured(int id) {
        return new TimedPeer(id);
    }

    /** The peer has {@code block} outstanding, asked at {@code at}. */
    TimedPeer hold(BlockRef block, long at) {
        held.add(block);
        sentAt.add(at);
        expectedAt.add(model.arrivalOfNew(model.owed(), block.length(), at, PRIOR));
        model.requested(block.length(), at);
        return this;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public boolean canRequest() {
        return canRequest;
    }

    @Override
    public boolean has(int piece) {
        return has.test(piece);
    }

    @Override
    public boolean measured() {
        return model.isMeasured();
    }

    @Override
    public int criticalOutstanding() {
        return held.size();
    }

    @Override
    public long queuedBytes() {
        return model.owed();
    }

    @Override
    public long preemptibleBytes() {
        return preemptible;
    }

    @Override
    public int room() {
        return room;
    }

    @Override
    public int urgentRoom() {
        return urgentRoom;
    }

    @Override
    public double rate(long now) {
        return model.rate(now, PRIOR);
    }

    @Override
    public long arrivalOfNew(long ahead, int length, long now) {
        return model.arrivalOfNew(ahead, length, now, PRIOR);
    }

    @Override
    public long sentAt(BlockRef block) {
        return sentAt.get(held.indexOf(block));
    }

    @Override
    public long expectedAt(BlockRef block) {
        int i = held.indexOf(block);
        return i < 0 ? Long.MAX_VALUE : expectedAt.get(i);
    }

    @Override
    public long arrivalOf(BlockRef block, long now) {
        if (!canRequest) {
            return Long.MAX_VALUE;
        }
        long through = 0;
        for (int i = 0; i < held.size(); i++) {
            through += held.get(i).length();
            if (held.get(i).equals(block)) {
                return model.arrival(through, sentAt.get(i), now, PRIOR);
            }
        }
        return Long.MAX_VALUE;
    }
}
