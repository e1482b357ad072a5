package torfs.peer;

import torfs.geometry.PieceGeometry;

/**
 * How many requests to keep outstanding at one peer (its pipeline): enough to cover its
 * measured rate over its delay plus our queue time, growing by one per block in slow start
 * while the rate is still unknown or growing, within what the peer accepts and our cap. Lives
 * on the connection's event loop.
 */
final class RequestDepth {
    private final DeliveryModel delivery;
    private final PeerSettings settings;
    private final PeerExtensions extensions;
    private int slowStartDepth = 4;
    private boolean slowStart = true;
    private long lastRate;

    RequestDepth(DeliveryModel delivery, PeerSettings settings, PeerExtensions extensions) {
        this.delivery = delivery;
        this.settings = settings;
        this.extensions = extensions;
    }

    /** Our cap, or less if the peer accepts less. */
    int max() {
        return Math.min(accepted(), settings.maxDepth());
    }

    /** What the peer queues: its reqq, or {@link PeerConnection#ASSUMED_REQQ} when it announced none. */
    int accepted() {
        int reqq = extensions.peerRequestQueue();
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
        long want = slowStart ? slowStartDepth : 4;
        if (delivery.isSettled()) {
            double seconds = (delivery.delayNanos() + settings.queueNanos()) / 1e9;
            want = Math.max(want, (long) Math.ceil(delivery.measuredRate() * seconds / PieceGeometry.BLOCK_SIZE) + 2);
        }
        return (int) Math.max(4, Math.min(max(), want));
    }

    /** A requested block arrived: slow start grows the pipeline by one. */
    void blockArrived() {
        if (slowStart && slowStartDepth < max()) {
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
