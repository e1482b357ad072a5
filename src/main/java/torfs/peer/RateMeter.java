package torfs.peer;

/**
 * Bytes per second, smoothed: bytes are counted as they come and folded into an exponential
 * average at each {@link #tick}. Confined to one thread.
 */
public final class RateMeter {
    /** A shorter first window says little (one burst is a huge rate): it waits for the next tick. */
    static final long MIN_WINDOW_NANOS = 500_000_000L;

    private long pending;
    private long total;
    private long lastTick;
    private double rate;
    private boolean started;

    /**
     * Counts from {@code nowNanos} (a connection's start), so that the first tick at least
     * {@link #MIN_WINDOW_NANOS} later already gives a rate; without it the first tick only
     * starts the count, and a new peer shows 0 B/s for up to two ticks.
     */
    public void start(long nowNanos) {
        started = true;
        lastTick = nowNanos;
    }

    public void add(long bytes) {
        pending += bytes;
        total += bytes;
    }

    /** Folds the bytes since the last tick into the average; call about once a second. */
    public void tick(long nowNanos) {
        if (!started) {
            started = true;
            lastTick = nowNanos;
            return;
        }
        long dt = nowNanos - lastTick;
        if (dt <= 0 || rate == 0 && dt < MIN_WINDOW_NANOS) {
            return;
        }
        double sample = pending * 1e9 / dt;
        // a fast first estimate, then a smoother average so one slow second does not halve the pipeline
        rate = rate == 0 ? sample : rate * 0.5 + sample * 0.5;
        pending = 0;
        lastTick = nowNanos;
    }

    public long bytesPerSecond() {
        return (long) rate;
    }

    public long total() {
        return total;
    }
}
