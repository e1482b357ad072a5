package torfs.peer;

/**
 * Bytes per second, smoothed: bytes are counted as they come and folded into an exponential
 * average at each {@link #tick}. Confined to one thread.
 */
public final class RateMeter {
    private long pending;
    private long total;
    private long lastTick;
    private double rate;
    private boolean started;

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
        if (dt <= 0) {
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
