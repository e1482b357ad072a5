package torfs.dht;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * A token bucket per source IP for the queries we answer: {@code perSecond} sustained,
 * {@code burst} at once. At most {@code maxSources} buckets are kept; full buckets (sources
 * quiet long enough to be back at the burst) are forgotten first, and while every bucket is in
 * use a new source is refused, so a flood of spoofed addresses costs bounded memory. Time is
 * passed in.
 */
final class SourceRateLimit {
    private final double perMs;
    private final double burst;
    private final int maxSources;
    private final Map<InetAddress, double[]> buckets = new HashMap<>(); // {tokens, lastMillis}

    SourceRateLimit(double perSecond, int burst, int maxSources) {
        this.perMs = perSecond / 1000.0;
        this.burst = burst;
        this.maxSources = maxSources;
    }

    /** Takes one token from {@code source}'s bucket; false when it is empty. */
    boolean allow(InetAddress source, long now) {
        double[] b = buckets.get(source);
        if (b == null) {
            if (buckets.size() >= maxSources) {
                forgetIdle(now);
                if (buckets.size() >= maxSources) {
                    return false;
                }
            }
            b = new double[] {burst, now};
            buckets.put(source, b);
        }
        b[0] = Math.min(burst, b[0] + (now - b[1]) * perMs);
        b[1] = now;
        if (b[0] < 1) {
            return false;
        }
        b[0] -= 1;
        return true;
    }

    /** Forgets sources whose buckets have refilled: they would start full anyway. */
    void forgetIdle(long now) {
        buckets.values().removeIf(b -> b[0] + (now - b[1]) * perMs >= burst);
    }

    int sources() {
        return buckets.size();
    }
}
