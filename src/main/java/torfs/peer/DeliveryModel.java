package torfs.peer;

import torfs.geometry.PieceGeometry;

/**
 * How soon one peer delivers what we ask of it: the rate it answers at while it has our
 * requests, the delay before the answer to a request sent to an idle peer starts (round trip,
 * its disk, its uplink's queue), the bytes of our requests it still owes, and from these the
 * time a block queued behind others will arrive. Pure: every event carries its time (nanos).
 *
 * <p>Rate: bytes over <em>busy</em> time only, that is between consecutive answers while
 * requests are outstanding, so idle gaps and the first answer's delay do not dilute it; the
 * sums are exponentially weighted with a time constant of {@link #TIME_CONSTANT_NANOS}. The first
 * answer after an idle spell gives a delay sample instead, and, for a peer never measured, a
 * first (pessimistic) rate: its bytes over its whole latency.
 *
 * <p>Stalls: a peer that owes us data and has sent nothing for {@code w} nanos is believed to
 * deliver at most one block per {@code w} ({@link #rate(long)}), so the longer it is silent the
 * later everything queued at it is expected, and a scheduler moves urgent blocks elsewhere
 * without waiting for a timeout.
 */
public final class DeliveryModel {
    /** Memory of the rate average: old samples weigh e^-1 after this long of busy time. */
    static final long TIME_CONSTANT_NANOS = 2_000_000_000L;
    /** Delay assumed before the first answer is measured. */
    static final long DEFAULT_DELAY_NANOS = 50_000_000L;
    private static final double DELAY_GAIN = 0.25;
    private static final long CRUDE_SPACING_NANOS = 1_000_000L;

    private long owed;
    private boolean awaitingFirst;
    /** When the current busy spell's first request went out. */
    private long busySince;
    /** The last answer of the current busy spell, when {@link #answered}. */
    private long lastAnswer;
    /** An answer came in the current busy spell (nanoTime may be negative: no sentinel). */
    private boolean answered;
    private double weightedBytes;
    private double weightedNanos;
    /** The sums hold only a first answer's bytes over its latency, until real spacing is seen. */
    private boolean crude;
    private long spacedBytes;
    private long spacedNanos;
    /** The crude figure's answer, to derive the delay again once the rate is real. */
    private long crudeLatency;
    private int crudeBytes;
    private double delayNanos = -1;
    private long received;

    /** A request for {@code bytes} went out. */
    public void requested(int bytes, long now) {
        if (owed == 0) {
            awaitingFirst = true;
            busySince = now;
            answered = false;
        }
        owed += bytes;
    }

    /** A request will not be answered (cancelled, rejected, dropped on a choke or a timeout). */
    public void withdrawn(int bytes, long now) {
        owed = Math.max(0, owed - bytes);
        if (owed == 0) {
            idle();
        }
    }

    /**
     * The answer to a request sent at {@code sentAt} arrived. (A late answer to a request already
     * {@link #withdrawn} is not reported: its timing says nothing reliable.)
     */
    public void arrived(int bytes, long sentAt, long now) {
        owed = Math.max(0, owed - bytes);
        received += bytes;
        if (awaitingFirst || !answered) {
            long latency = Math.max(1, now - sentAt);
            if (weightedNanos == 0) {
                weightedBytes = bytes; // nothing better yet: the whole latency as transfer time
                weightedNanos = latency;
                crude = true;
                crudeLatency = latency;
                crudeBytes = bytes;
            }
            double sample = Math.max(0, latency - bytes * 1e9 / rateOrZero());
            delayNanos = delayNanos < 0 ? sample : delayNanos + DELAY_GAIN * (sample - delayNanos);
            awaitingFirst = false;
        } else if (crude) {
            // answers back to back (often several per read) say little one by one: replace the
            // crude figure once a millisecond of spacing has been seen
            spacedBytes += bytes;
            spacedNanos += Math.max(0, now - lastAnswer);
            if (spacedNanos >= CRUDE_SPACING_NANOS) {
                weightedBytes = spacedBytes;
                weightedNanos = spacedNanos;
                crude = false;
                delayNanos = Math.max(0, crudeLatency - crudeBytes * 1e9 / rateOrZero());
            }
        } else {
            long dt = Math.max(0, now - lastAnswer);
            double decay = Math.exp(-(double) dt / TIME_CONSTANT_NANOS);
            weightedBytes = weightedBytes * decay + bytes;
            weightedNanos = weightedNanos * decay + dt;
        }
        lastAnswer = now;
        answered = true;
        if (owed == 0) {
            idle();
        }
    }

    private void idle() {
        awaitingFirst = false;
        answered = false;
    }

    /** Bytes requested and neither answered nor withdrawn. */
    public long owed() {
        return owed;
    }

    /** True once an answer gave a rate. */
    public boolean isMeasured() {
        return weightedNanos > 0;
    }

    /** Bytes received in all. */
    public long received() {
        return received;
    }

    /** The measured rate in bytes/s, 0 before the first answer. */
    public double measuredRate() {
        return rateOrZero();
    }

    private double rateOrZero() {
        return weightedNanos > 0 ? weightedBytes * 1e9 / weightedNanos : 0;
    }

    /** The delay before an idle peer's first answer starts. */
    public long delayNanos() {
        return delayNanos < 0 ? DEFAULT_DELAY_NANOS : (long) delayNanos;
    }

    /**
     * The rate to expect now, in bytes/s: the measured one ({@code prior} before any), capped at
     * one block per the time the peer has been silent while owing us data.
     */
    public double rate(long now, double prior) {
        double r = isMeasured() ? rateOrZero() : prior;
        if (owed > 0) {
            long since = answered ? lastAnswer : busySince + delayNanos();
            long silent = now - since;
            if (silent > 0) {
                r = Math.min(r, PieceGeometry.BLOCK_SIZE * 1e9 / silent);
            }
        }
        return Math.max(r, 1);
    }

    /**
     * When the last byte of a request sent at {@code sentAt} is expected, with
     * {@code bytesThrough} bytes of our requests to be sent before it and including it.
     */
    public long arrival(long bytesThrough, long sentAt, long now, double prior) {
        long start = Math.max(now, sentAt + delayNanos());
        return start + nanosFor(bytesThrough, rate(now, prior));
    }

    /** When a request for {@code bytes} sent now behind {@code ahead} bytes is expected. */
    public long arrivalOfNew(long ahead, int bytes, long now, double prior) {
        return arrival(ahead + bytes, now, now, prior);
    }

    private static long nanosFor(long bytes, double rate) {
        double n = bytes * 1e9 / rate;
        return n >= Long.MAX_VALUE / 4 ? Long.MAX_VALUE / 4 : (long) n;
    }
}
