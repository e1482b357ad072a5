package torfs.peer;

import java.util.function.IntSupplier;
import torfs.geometry.PieceGeometry;

/**
 * How many requests to keep outstanding at one peer (its pipeline): enough to cover its
 * measured rate over its delay plus our queue time, growing by one per block in slow start
 * while the rate is still unknown or growing and our requests do not queue yet, within what the
 * peer accepts and our cap. Lives on the connection's event loop.
 */
final class RequestDepth {
    private final DeliveryModel delivery;
    private final PeerSettings settings;
    /** The queue the peer announced (its reqq), 0 when none. */
    private final IntSupplier peerRequestQueue;
    private int slowStartDepth = 4;
    private boolean slowStart = true;
    private long lastRate;

    RequestDepth(DeliveryModel delivery, PeerSettings settings, IntSupplier peerRequestQueue) {
        this.delivery = delivery;
        this.settings = settings;
        this.peerRequestQueue = peerRequestQueue;
    }

    /** Our cap, or less if the peer accepts less. */
    int max() {
        return Math.min(accepted(), settings.maxDepth());
    }

    /** What the peer queues: its reqq, or {@link PeerConnection#ASSUMED_REQQ} when it announced none. */
    int accepted() {
        int reqq = peerRequestQueue.getAsInt();
        return reqq > 0 ? reqq : PeerConnection.ASSUMED_REQQ;
    }

    /**
     * The peer's measured rate over its delay plus our queue time ({@link PeerSettings#queueNanos}),
     * in blocks, plus 2; the slow-start depth while that is more; at least 4, at most {@link #max};
     * one for a snubbed peer.
     */
    int target(boolean snubbed) {
        if (snubbed) {
            return 1;
        }
        long want = delivery.isSettled() ? byRate() : 4;
        if (slowStart) {
            want = Math.max(want, slowStartDepth);
        }
        return (int) Math.max(4, Math.min(max(), want));
    }

    /** Blocks the settled rate covers over the peer's delay and our queue time, plus 2. */
    private long byRate() {
        double seconds = (delivery.delayNanos() + settings.queueNanos()) / 1e9;
        return (long) Math.ceil(delivery.measuredRate() * seconds / PieceGeometry.BLOCK_SIZE) + 2;
    }

    /**
     * A requested block arrived: slow start grows the pipeline by one, until the settled rate
     * says the pipeline already holds more than the peer sends over its delay and our queue
     * time. The peer then sends all it can and more requests only wait in its queue: a
     * pipeline of d blocks answered at rate r waits d/r (Little's law), and the rate's share
     * falls below d about when that wait passes the delay plus the queue time. Without this
     * exit a 1 MB/s uplink was handed a second of blocks within the first one, ahead of the
     * block a read needed next.
     */
    void blockArrived() {
        if (!slowStart) {
            return;
        }
        if (delivery.isSettled() && byRate() < slowStartDepth) {
            slowStart = false;
        } else if (slowStartDepth < max()) {
            slowStartDepth++;
        }
    }

    /** Once a second, the download rate: slow start ends once it stops growing. */
    void rateMeasured(long rate) {
        if (slowStart && lastRate > 0 && rate < lastRate + lastRate / 10) {
            slowStart = false; // the rate stopped growing: the pipe is full
        }
        lastRate = rate;
    }
}
