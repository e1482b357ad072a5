package torfs.session;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A global payload limit (upload or download) shared fairly by peers: a {@link TokenBucket}
 * plus a first-come queue of peers that were refused. While anyone waits, only the head of the
 * queue is served, so a peer that asks often cannot starve one that asks rarely; a served peer
 * that asks again joins the back. A head that does not come back for its grant within
 * {@link #ABANDON_NANOS} of it being ready loses its turn (the caller should also call
 * {@link #forget} when a peer goes). Peers are keyed by their number, which the {@link Client}
 * hands out so it is unique across the torrents sharing the limiter. Pure: time is passed in;
 * confined to one thread.
 */
public final class RateLimiter {
    public static final long ABANDON_NANOS = 100_000_000L;
    /** Default burst: a fifth of a second of traffic, but room for a few blocks at low rates. */
    static final long MIN_BURST = 64 * 1024;

    private final TokenBucket bucket;
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    private final Map<Integer, Waiter> waiting = new HashMap<>();

    private static final class Waiter {
        final int peer;
        long want;
        /** When the bucket was first seen holding enough for this head, or -1. */
        long readySince = -1;

        Waiter(int peer, long want) {
            this.peer = peer;
            this.want = want;
        }
    }

    /** {@code bytesPerSecond} 0 means unlimited. */
    public RateLimiter(long bytesPerSecond, long nowNanos) {
        this(bytesPerSecond, Math.max(MIN_BURST, bytesPerSecond / 5), nowNanos);
    }

    public RateLimiter(long bytesPerSecond, long burstBytes, long nowNanos) {
        this.bucket = new TokenBucket(bytesPerSecond, burstBytes, nowNanos);
    }

    /**
     * Changes the limit ({@code 0}: none) from now on, with the default burst. Peers waiting
     * for a turn keep their places; without a limit nobody waits any more.
     */
    public void setRate(long bytesPerSecond, long nowNanos) {
        bucket.setRate(bytesPerSecond, Math.max(MIN_BURST, bytesPerSecond / 5), nowNanos);
        if (bucket.isUnlimited()) {
            queue.clear();
            waiting.clear();
        }
    }

    /** Bytes per second, 0 for unlimited. */
    public long rate() {
        return bucket.rate();
    }

    public boolean isUnlimited() {
        return bucket.isUnlimited();
    }

    /**
     * Grants {@code min(bytes, burst)} bytes, all at once, or 0: then the peer is queued and
     * should ask again after {@link #nanosUntilAvailable}.
     */
    public long tryAcquire(int peer, long bytes, long nowNanos) {
        if (bytes <= 0) {
            return 0;
        }
        if (bucket.isUnlimited()) {
            return bytes;
        }
        long want = Math.min(bytes, bucket.burst());
        dropAbandonedHead(nowNanos);
        Waiter head = queue.peekFirst();
        if (head == null) {
            if (bucket.tryTake(want, nowNanos)) {
                return want;
            }
            enqueue(peer, want);
            return 0;
        }
        if (head.peer == peer) {
            head.want = want;
            if (bucket.tryTake(want, nowNanos)) {
                queue.pollFirst();
                waiting.remove(peer);
                return want;
            }
            return 0;
        }
        Waiter w = waiting.get(peer);
        if (w == null) {
            enqueue(peer, want);
        } else {
            w.want = want;
        }
        return 0;
    }

    /**
     * How long a refused peer should wait before asking again: until the bucket holds its own
     * request and those queued before it (0 when it is not waiting).
     */
    public long nanosUntilAvailable(int peer, long nowNanos) {
        if (bucket.isUnlimited()) {
            return 0;
        }
        Waiter w = waiting.get(peer);
        if (w == null) {
            return 0;
        }
        dropAbandonedHead(nowNanos);
        if (!waiting.containsKey(peer)) {
            return 0;
        }
        long sum = 0;
        for (Waiter q : queue) {
            sum += q.want;
            if (q == w) {
                break;
            }
        }
        long t = bucket.nanosUntil(sum, nowNanos);
        Waiter head = queue.peekFirst();
        if (head != w && head.readySince >= 0) {
            // the head is late for its grant: ask again when it would lose its turn
            long untilAbandoned = head.readySince + ABANDON_NANOS - nowNanos + 1;
            t = Math.min(t, Math.max(untilAbandoned, bucket.nanosUntil(sum - head.want, nowNanos)));
        }
        return Math.max(t, 0);
    }

    /** The peer stops waiting (disconnected, or no longer wants to send/receive). */
    public void forget(int peer) {
        Waiter w = waiting.remove(peer);
        if (w != null) {
            queue.remove(w);
        }
    }

    /** Peers waiting for their turn. */
    public int waitingCount() {
        return queue.size();
    }

    private void enqueue(int peer, long want) {
        Waiter w = new Waiter(peer, want);
        queue.addLast(w);
        waiting.put(peer, w);
    }

    private void dropAbandonedHead(long nowNanos) {
        Waiter head;
        while ((head = queue.peekFirst()) != null) {
            if (bucket.available(nowNanos) < head.want) {
                head.readySince = -1;
                return;
            }
            if (head.readySince < 0) {
                head.readySince = nowNanos;
                return;
            }
            if (nowNanos - head.readySince <= ABANDON_NANOS) {
                return;
            }
            queue.pollFirst();
            waiting.remove(head.peer);
        }
    }
}
