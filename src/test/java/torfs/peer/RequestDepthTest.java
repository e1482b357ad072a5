package torfs.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import org.junit.jupiter.api.Test;

class RequestDepthTest {
    private static final int BLOCK = 16384;
    private static final long MS = 1_000_000L;
    /** A mount's shape: 100 ms of the peer's data queued beyond its delay, at most 64 blocks. */
    private static final PeerSettings STREAMING = new PeerSettings(500, 64, 100 * MS, 20_000 * MS,
            60_000 * MS, 180_000 * MS, 90_000 * MS, "test");

    /**
     * A peer that gets each request {@code delay} after we send it and answers in order at
     * {@code rate} bytes/s, kept at our target depth for {@code nanos}, with no once-a-second
     * rate check (the first second of a connection, where a player's start buffer is filled).
     */
    private static final class SimulatedPeer {
        final DeliveryModel delivery = new DeliveryModel();
        final RequestDepth depth;
        final ArrayDeque<long[]> queue = new ArrayDeque<>(); // {sentAt, arrivesAt}
        final double rate;
        final long delay;
        long lastFinish;
        long worstWait;

        SimulatedPeer(double rate, long delay, int reqq) {
            this.rate = rate;
            this.delay = delay;
            this.depth = new RequestDepth(delivery, STREAMING, () -> reqq);
        }

        void run(long nanos) {
            topUp(0);
            while (!queue.isEmpty() && queue.peek()[1] <= nanos) {
                long[] r = queue.poll();
                delivery.arrived(BLOCK, r[0], r[1]);
                depth.blockArrived();
                worstWait = Math.max(worstWait, r[1] - r[0]);
                topUp(r[1]);
            }
        }

        private void topUp(long now) {
            while (queue.size() < depth.target(false)) {
                long start = Math.max(now + delay, lastFinish);
                lastFinish = start + (long) (BLOCK * 1e9 / rate);
                queue.add(new long[] {now, lastFinish});
                delivery.requested(BLOCK, now);
            }
        }
    }

    @Test
    void slowStartEndsOnceASlowUplinkIsFullNotAfterASecondOfQueue() {
        SimulatedPeer peer = new SimulatedPeer(1e6, 2 * MS, 0);
        peer.run(800 * MS);
        // 1 MB/s over 2 ms + 100 ms is 6.2 blocks, plus 2: before this exit slow start had grown
        // the pipeline by one per answer, to ~50 blocks (0.8 s of this peer) by now
        assertThat(peer.depth.target(false)).isBetween(8, 12);
        // so a request sent now waits ~the queue time, not the ~0.8 s the pipeline had held
        peer.worstWait = 0;
        peer.run(1600 * MS);
        assertThat(peer.worstWait).isLessThan(250 * MS);
    }

    @Test
    void aPeerOurPipelineHoldsBackKeepsGrowingToTheCap() {
        // 100 MB/s across 20 ms: the pipe holds 122 blocks, more than our cap of 64
        SimulatedPeer peer = new SimulatedPeer(100e6, 20 * MS, 0);
        peer.run(400 * MS);
        assertThat(peer.depth.target(false)).isEqualTo(64);
    }

    @Test
    void aPeersOwnQueueLimitHoldsTooAndASnubbedPeerGetsOne() {
        SimulatedPeer peer = new SimulatedPeer(100e6, 20 * MS, 16);
        peer.run(400 * MS);
        assertThat(peer.depth.target(false)).isEqualTo(16);
        assertThat(peer.depth.target(true)).isEqualTo(1);
    }

    @Test
    void beforeAnyAnswerThePipelineHoldsFour() {
        RequestDepth depth = new RequestDepth(new DeliveryModel(), STREAMING, () -> 0);
        assertThat(depth.target(false)).isEqualTo(4);
        assertThat(depth.max()).isEqualTo(64);
        assertThat(depth.accepted()).isEqualTo(PeerConnection.ASSUMED_REQQ);
    }
}
