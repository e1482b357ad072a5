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
 * answer after an idle spell gives a delay sample instead. Until two answers in a row have
 * given a rate, callers supply a prior (what the other peers do).
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
    private static final long FOLD_NANOS = 1_000_000L;
    /** One or two answers' spacing says little (a shaper's burst, two blocks in one read). */
    static final int MEASURED_BLOCKS = 3;
    static final long MEASURED_NANOS = 5_000_000L;
    static final long SETTLED_NANOS = 50_000_000L;

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
    /** Answers not folded into the average yet: back-to-back answers wait for a millisecond. */
    private long pendingBytes;
    private long pendingNanos;
    /** Answers that came while others were outstanding (the rate's evidence), counted to a cap. */
    private int spacedAnswers;
    /** The first answer's latency and size, to derive the delay once a rate is known. */
    private long firstLatency = -1;
    private int firstBytes;
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
            if (firstLatency < 0) {
                firstLatency = latency;
                firstBytes = bytes;
            }
            // before a rate is known the whole latency counts as delay: an upper bound
            double sample = isMeasured() ? Math.max(0, latency - bytes * 1e9 / rateOrZero()) : latency;
            delayNanos = delayNanos < 0 ? sample : delayNanos + DELAY_GAIN * (sample - delayNanos);
            awaitingFirst = false;
        } else {
            // answers back to back (often several per socket read) say little one by one: fold
            // them once a millisecond of spacing has been seen
            pendingBytes += bytes;
            pendingNanos += Math.max(0, now - lastAnswer);
            spacedAnswers = Math.min(spacedAnswers + 1, MEASURED_BLOCKS);
            if (pendingNanos >= FOLD_NANOS) {
                boolean first = !isMeasured();
                double decay = Math.exp(-(double) pendingNanos / TIME_CONSTANT_NANOS);
                weightedBytes = weightedBytes * decay + pendingBytes;
                weightedNanos = weightedNanos * decay + pendingNanos;
                pendingBytes = 0;
                pendingNanos = 0;
                if (first) {
                    delayNanos = Math.max(0, firstLatency - firstBytes * 1e9 / rateOrZero());
                }
            }
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

    /** True once {@link #MEASURED_BLOCKS} answers came spaced behind others: a rate. */
    public boolean isMeasured() {
        return spacedAnswers >= MEASURED_BLOCKS && weightedNanos >= MEASURED_NANOS;
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
