package torfs.transport.utp;

/**
 * The retransmission timeout of BEP 29: a smoothed round-trip time and its variance from each
 * packet acked on its first transmission (Karn), timeout = rtt + 4 rtt_var but at least 500 ms,
 * 1 s before any sample, doubled on every timeout until a packet is acked again ({@link #acked}). The timeout
 * from samples is capped at {@link #MAX_SAMPLED_TIMEOUT_MICROS}: a few inflated samples (a loss
 * that delays the acks behind it) must not put the next retransmission a minute away, which
 * stalls the connection; only backing off goes beyond it.
 */
final class RoundTripTimer {
    static final long MIN_TIMEOUT_MICROS = 500_000;
    static final long INITIAL_TIMEOUT_MICROS = 1_000_000;
    static final long MAX_TIMEOUT_MICROS = 60_000_000;
    static final long MAX_SAMPLED_TIMEOUT_MICROS = 6_000_000;

    private long rtt = -1;
    private long rttVar;
    /** From the samples, without back-off. */
    private long base = INITIAL_TIMEOUT_MICROS;
    private long timeout = INITIAL_TIMEOUT_MICROS;

    void sample(long rttMicros) {
        if (rtt < 0) {
            rtt = rttMicros;
            rttVar = rttMicros / 2;
        } else {
            rttVar += (Math.abs(rtt - rttMicros) - rttVar) / 4;
            rtt += (rttMicros - rtt) / 8;
        }
        base = Math.min(Math.max(rtt + 4 * rttVar, MIN_TIMEOUT_MICROS), MAX_SAMPLED_TIMEOUT_MICROS);
        timeout = base;
    }

    /**
     * Packets were acked: the back-off ends (libutp's {@code retransmit_timeout = rto}), even
     * when none of them gave a sample (they were resent, or waited behind a resent one).
     */
    void acked() {
        timeout = base;
    }

    void backOff() {
        timeout = Math.min(timeout * 2, MAX_TIMEOUT_MICROS);
    }

    long timeoutMicros() {
        return timeout;
    }

    /** The smoothed round trip, or -1 before the first sample. */
    long rttMicros() {
        return rtt;
    }
}
