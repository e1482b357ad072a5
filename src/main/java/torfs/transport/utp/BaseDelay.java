package torfs.transport.utp;

/**
 * The least one-way delay seen over the last two minutes (LEDBAT's base delay), kept as the
 * minima of the current and the previous minute. Samples are 32-bit timestamp differences
 * between two unsynchronised clocks, so they wrap: comparisons are modulo 2^32.
 */
final class BaseDelay {
    static final long MINUTE_MICROS = 60_000_000;
    private static final long MASK = 0xffffffffL;

    private long current = -1;
    private long previous = -1;
    private long minuteStart;

    void add(long sample, long nowMicros) {
        if (current < 0) {
            current = sample;
            minuteStart = nowMicros;
        } else if (nowMicros - minuteStart >= MINUTE_MICROS) {
            previous = current;
            current = sample;
            minuteStart = nowMicros;
        } else if (lower(sample, current)) {
            current = sample;
        }
    }

    /** How far {@code sample} lies above the base delay (0 if it is the lowest or nothing was seen). */
    long above(long sample) {
        if (current < 0) {
            return 0;
        }
        long base = previous >= 0 && lower(previous, current) ? previous : current;
        long d = (sample - base) & MASK;
        return d > MASK / 2 ? 0 : d;
    }

    private static boolean lower(long a, long b) {
        return ((b - a) & MASK) != 0 && ((b - a) & MASK) < MASK / 2;
    }
}
