package torfs.session;

/**
 * A token bucket: {@code bytesPerSecond} tokens drip in, at most {@code burstBytes} are kept.
 * A rate of 0 means unlimited. Pure: the time is passed in (nanos, any monotonic origin).
 */
public final class TokenBucket {
    private long rate;
    private long burst;
    private double tokens;
    private long lastNanos;

    /** Starts full. */
    public TokenBucket(long bytesPerSecond, long burstBytes, long nowNanos) {
        if (bytesPerSecond < 0 || burstBytes <= 0) {
            throw new IllegalArgumentException("rate must be >= 0 and burst > 0");
        }
        this.rate = bytesPerSecond;
        this.burst = burstBytes;
        this.tokens = burstBytes;
        this.lastNanos = nowNanos;
    }

    /**
     * Changes the rate and burst from now on: what dripped in so far at the old rate is kept (up
     * to the new burst); from unlimited the bucket starts full.
     */
    public void setRate(long bytesPerSecond, long burstBytes, long nowNanos) {
        if (bytesPerSecond < 0 || burstBytes <= 0) {
            throw new IllegalArgumentException("rate must be >= 0 and burst > 0");
        }
        if (isUnlimited()) {
            tokens = burstBytes;
        } else {
            refill(nowNanos);
        }
        rate = bytesPerSecond;
        burst = burstBytes;
        tokens = Math.min(tokens, burstBytes);
        lastNanos = nowNanos;
    }

    /** Bytes per second, 0 for unlimited. */
    public long rate() {
        return rate;
    }

    public boolean isUnlimited() {
        return rate == 0;
    }

    public long burst() {
        return burst;
    }

    /** Whole tokens available now. */
    public long available(long nowNanos) {
        if (isUnlimited()) {
            return Long.MAX_VALUE;
        }
        refill(nowNanos);
        return (long) tokens;
    }

    /** Takes {@code bytes} tokens if that many are there; all or nothing. */
    public boolean tryTake(long bytes, long nowNanos) {
        if (isUnlimited()) {
            return true;
        }
        refill(nowNanos);
        if (tokens >= bytes) {
            tokens -= bytes;
            return true;
        }
        return false;
    }

    /** Nanos until {@code bytes} tokens are there (0 if now); more than burst never comes at once. */
    public long nanosUntil(long bytes, long nowNanos) {
        if (isUnlimited()) {
            return 0;
        }
        refill(nowNanos);
        double deficit = bytes - tokens;
        if (deficit <= 0) {
            return 0;
        }
        return (long) Math.ceil(deficit * 1e9 / rate) + 1;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * (rate / 1e9));
            lastNanos = nowNanos;
        }
    }
}
