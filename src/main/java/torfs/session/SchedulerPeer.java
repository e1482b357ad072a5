package torfs.session;

import java.util.Map;
import torfs.geometry.BlockRef;
import torfs.peer.PeerConnection;
import torfs.picker.DeadlineScheduler;
import torfs.picker.PiecePicker;
import torfs.picker.Priority;

/**
 * One connected peer as the {@link DeadlineScheduler} sees it during one plan: its timing
 * model, its room, and which of its requests would be cancelled to put an urgent block first
 * (background requests past the oldest {@link RequestFiller#KEEP_HEAD}, which the peer is
 * likely sending already). Built per plan on the torrent's loop; the expected arrivals of its
 * outstanding requests are computed once, on first use.
 */
final class SchedulerPeer implements DeadlineScheduler.Peer {
    private final PeerConnection peer;
    private final PiecePicker picker;
    private final int urgentExtra;
    private final double prior;
    private final long now;
    private long preemptibleBytes = -1;
    private int preemptibleCount;
    private int criticalCount;
    private Map<BlockRef, Long> arrivals;

    SchedulerPeer(PeerConnection peer, PiecePicker picker, int urgentExtra, double prior, long now) {
        this.peer = peer;
        this.picker = picker;
        this.urgentExtra = urgentExtra;
        this.prior = prior;
        this.now = now;
    }

    PeerConnection connection() {
        return peer;
    }

    @Override
    public int id() {
        return peer.id();
    }

    @Override
    public boolean canRequest() {
        return peer.isOpen() && peer.amInterested() && !peer.peerChoking() && !peer.snubbed();
    }

    @Override
    public boolean has(int piece) {
        return peer.have().get(piece);
    }

    @Override
    public boolean measured() {
        return peer.isMeasured();
    }

    @Override
    public int criticalOutstanding() {
        countPreemptible();
        return criticalCount;
    }

    @Override
    public long queuedBytes() {
        return peer.owedBytes();
    }

    @Override
    public long preemptibleBytes() {
        countPreemptible();
        return preemptibleBytes;
    }

    @Override
    public int room() {
        return peer.requestSlots();
    }

    @Override
    public int urgentRoom() {
        countPreemptible();
        return Math.max(0, peer.urgentCapacity(urgentExtra) - (peer.outstandingCount() - preemptibleCount));
    }

    @Override
    public double rate(long now) {
        return peer.expectedRate(now, prior);
    }

    @Override
    public long arrivalOfNew(long ahead, int length, long now) {
        return peer.arrivalOfNew(ahead, length, now, prior);
    }

    @Override
    public long arrivalOf(BlockRef block, long now) {
        if (arrivals == null) {
            arrivals = peer.expectedArrivals(this.now, prior);
        }
        return arrivals.getOrDefault(block, Long.MAX_VALUE);
    }

    @Override
    public long sentAt(BlockRef block) {
        PeerConnection.Pending p = peer.pending(block);
        return p == null ? now : p.sentAt();
    }

    @Override
    public long expectedAt(BlockRef block) {
        PeerConnection.Pending p = peer.pending(block);
        return p == null ? Long.MAX_VALUE : p.expectedAt();
    }

    /** Sorts the outstanding requests once: critical ones, and background ones an urgent block may preempt. */
    private void countPreemptible() {
        if (preemptibleBytes >= 0) {
            return;
        }
        preemptibleBytes = 0;
        int i = 0;
        for (BlockRef b : peer.outstandingView()) {
            boolean background = isBackground(b);
            if (!background) {
                criticalCount++;
            } else if (i >= RequestFiller.KEEP_HEAD) {
                preemptibleBytes += b.length();
                preemptibleCount++;
            }
            i++;
        }
    }

    private boolean isBackground(BlockRef b) {
        return picker.priority(b.piece()).compareTo(Priority.READAHEAD) < 0;
    }
}
