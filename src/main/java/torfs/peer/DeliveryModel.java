package torfs.peer;

import torfs.geometry.PieceGeometry;

/**
 * How soon one peer delivers what we ask of it: the rate it answers at while it has our
 * requests, the delay before the answer to a request sent to an idle peer starts (round trip,
 * its disk, its uplink's queue), the bytes of our requests it still owes, and from these the
 * time a block queued behind others will arrive. Pure: every event carries its time (nanos).
 *
 * <p>Rate: bytes over <em>busy</em> time only (time with our requests outstanding, less the
 * delay before each busy spell's first answer), so idle gaps do not dilute it, while a stall
 * followed by a clump of answers does not inflate it; the sums are exponentially weighted with
 * a time constant of {@link #TIME_CONSTANT_NANOS}. The first answer of each busy spell also gives
 * a delay sample; the delay is the least of the recent ones. Until the rate rests on enough
 * answers, callers supply a prior (what the other peers do).
 *
 * <p>Stalls: a peer that owes us data and has sent nothing for {@code w} nanos beyond a grace
 * ({@link #SILENCE_GRACE_NANOS}, or twice its delay) is believed to deliver at most one block per
 * {@code w} ({@link #rate(long, double)}), so the longer it is silent the later everything
 * queued at it is expected, and a scheduler moves urgent blocks elsewhere without waiting for a
 * timeout.
 */
public final class DeliveryModel {
    /** Memory of the rate average: old samples weigh e^-1 after this long of busy time. */
    static final long TIME_CONSTANT_NANOS = 2_000_000_000L;
    /** Delay assumed before the first answer is measured. */
    static final long DEFAULT_DELAY_NANOS = 50_000_000L;
    /** Answers closer than this are folded together (several blocks often come in one read). */
    private static final long FOLD_NANOS = 1_000_000L;
    /** A rate rests on at least this many answers and this much time... */
    static final int MEASURED_ANSWERS = 4;
    static final long MEASURED_NANOS = 20_000_000L;
    /** ...and is trusted to size a queue by once it rests on this much time. */
    static final long SETTLED_NANOS = 100_000_000L;
    /** Silence not held against a peer that owes us data (at least; twice its delay if more). */
    static final long SILENCE_GRACE_NANOS = 100_000_000L;
    /** Delay samples kept; the delay is their minimum (a stall or a lost packet inflates one). */
    private static final int DELAY_SAMPLES = 8;

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
    /** Answers not folded into the average yet. */
    private long pendingBytes;
    private long pendingNanos;
    private int answers;
    private final long[] delays = new long[DELAY_SAMPLES];
    private int delayCount;
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
     * {@link #withdrawn} is not reported: its timing says nothing reliable.) Every answer is a
     * rate sample: the time since the previous answer, or for the first of a busy spell its
     * latency less the delay, so a peer that stalls and then sends a clump is not believed fast.
     */
    public void arrived(int bytes, long sentAt, long now) {
        owed = Math.max(0, owed - bytes);
        received += bytes;
        long dt;
        if (awaitingFirst || !answered) {
            long latency = Math.max(1, now - sentAt);
            // the part of the latency that is not this block's transfer: an upper bound until
            // a rate is known
            long sample = isMeasured() ? Math.max(0, latency - (long) (bytes * 1e9 / rateOrZero())) : latency;
            delays[delayCount++ % DELAY_SAMPLES] = sample;
            // until a rate is known the delay samples hold transfer time too: assume the default
            dt = Math.max(0, latency - (isMeasured() ? delayNanos() : Math.min(DEFAULT_DELAY_NANOS, latency)));
            awaitingFirst = false;
        } else {
            dt = Math.max(0, now - lastAnswer);
        }
        pendingBytes += bytes;
        pendingNanos += dt;
        answers++;
        if (pendingNanos >= FOLD_NANOS) {
            double decay = Math.exp(-(double) pendingNanos / TIME_CONSTANT_NANOS);
            weightedBytes = weightedBytes * decay + pendingBytes;
            weightedNanos = weightedNanos * decay + pendingNanos;
            pendingBytes = 0;
            pendingNanos = 0;
        }
        lastAnswer = now;
        answered = true;
        if (owed == 0) {
            idle();
        }
    }

    /**
     * The answer to a request already {@link #withdrawn} arrived anyway (sent before our cancel
     * reached the peer): it owes us nothing for it, but it is not silent, and while requests
     * are outstanding its bytes count for the rate.
     */
    public void arrivedLate(int bytes, long now) {
        received += bytes;
        if (owed > 0 && answered) {
            pendingBytes += bytes;
            pendingNanos += Math.max(0, now - lastAnswer);
            lastAnswer = now;
        } else if (owed > 0) {
            // still awaiting the spell's first answer: the peer is draining what we withdrew,
            // so the silence clock restarts (the delay before our answer is not its fault)
            busySince = now - delayNanos();
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

    /** True once the rate rests on {@link #MEASURED_ANSWERS} answers over {@link #MEASURED_NANOS}. */
    public boolean isMeasured() {
        return answers >= MEASURED_ANSWERS && weightedNanos >= MEASURED_NANOS;
    }

    /**
     * True once the rate rests on {@link #SETTLED_NANOS} of answers: enough to size a queue
     * by (early answers come in bursts: a shaper's bucket, a socket read of several blocks).
     */
    public boolean isSettled() {
        return isMeasured() && weightedNanos >= SETTLED_NANOS;
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

    /** The delay before an idle peer's first answer starts: the least of the recent samples. */
    public long delayNanos() {
        if (delayCount == 0) {
            return DEFAULT_DELAY_NANOS;
        }
        long min = Long.MAX_VALUE;
        for (int i = 0; i < Math.min(delayCount, DELAY_SAMPLES); i++) {
            min = Math.min(min, delays[i]);
        }
        return min;
    }

    /**
     * The rate to expect now, in bytes/s: the measured one (before that, {@code prior}, or less if
     * the first answers already show less), capped at one block per the time the peer has been
     * silent while owing us data.
     */
    public double rate(long now, double prior) {
        // before the rate is measured, what answers there were may still show a slow peer
        double r = isMeasured() ? rateOrZero() : weightedNanos > 0 ? Math.min(prior, rateOrZero()) : prior;
        if (owed > 0) {
            long since = answered ? lastAnswer : busySince + delayNanos();
            // a pause of a few of its own delays is normal (a socket read, a disk read, the peer's
            // other uploads); past that, the peer is believed slower the longer it is silent
            long silent = now - since - Math.max(SILENCE_GRACE_NANOS, 2 * delayNanos());
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
