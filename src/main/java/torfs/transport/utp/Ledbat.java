package torfs.transport.utp;

/**
 * LEDBAT congestion control (BEP 29): the window grows by at most {@link #GAIN_BYTES} per round
 * trip while the measured queuing delay is under the 100 ms target and shrinks when it is
 * over, scaled by how much of the window an ack covered; a loss halves it, a timeout drops it to
 * one packet. Pure arithmetic, so it is tested from a table.
 */
final class Ledbat {
    static final long TARGET_MICROS = 100_000;
    static final int GAIN_BYTES = 3000;
    static final int MIN_WINDOW = UtpConnection.MAX_PAYLOAD;
    /** Enough for loopback and LANs; more would only fill the peer's receive buffer. */
    static final int MAX_WINDOW = 4 << 20;

    private long window;

    Ledbat(long initialWindow) {
        this.window = clamp(initialWindow);
    }

    long window() {
        return window;
    }

    /** {@code bytesAcked} newly acknowledged while the queuing delay was {@code delayMicros}. */
    void onAck(long bytesAcked, long delayMicros) {
        double offTarget = (double) (TARGET_MICROS - delayMicros) / TARGET_MICROS;
        double windowFactor = (double) bytesAcked / window;
        window = clamp(window + (long) (GAIN_BYTES * offTarget * windowFactor));
    }

    void onLoss() {
        window = clamp(window / 2);
    }

    void onTimeout() {
        window = MIN_WINDOW;
    }

    private static long clamp(long w) {
        return Math.max(MIN_WINDOW, Math.min(MAX_WINDOW, w));
    }
}
