package torfs.tracker;

import java.time.Duration;

/**
 * Timeouts and caps for tracker traffic.
 *
 * @param connectTimeout   TCP connect to an HTTP(S) tracker
 * @param responseTimeout  from sending an HTTP request to its whole reply
 * @param maxResponseBytes largest HTTP reply body accepted
 * @param udpBaseTimeout   first UDP retransmission timeout; attempt n waits base * 2^n (BEP 15)
 * @param udpMaxRetries    retransmissions before a UDP announce fails (BEP 15: 8)
 */
public record TrackerSettings(Duration connectTimeout, Duration responseTimeout, int maxResponseBytes,
                              Duration udpBaseTimeout, int udpMaxRetries) {
    public static final TrackerSettings DEFAULT = new TrackerSettings(Duration.ofSeconds(10),
            Duration.ofSeconds(30), 2 * 1024 * 1024, Duration.ofSeconds(15), 8);

    public TrackerSettings {
        if (connectTimeout.isNegative() || connectTimeout.isZero() || responseTimeout.isNegative()
                || responseTimeout.isZero() || udpBaseTimeout.isNegative() || udpBaseTimeout.isZero()) {
            throw new IllegalArgumentException("tracker timeouts must be positive");
        }
        if (maxResponseBytes < 1024 || udpMaxRetries < 0 || udpMaxRetries > 8) {
            throw new IllegalArgumentException("maxResponseBytes >= 1024 and 0 <= udpMaxRetries <= 8");
        }
    }

    public TrackerSettings withUdpBaseTimeout(Duration base) {
        return new TrackerSettings(connectTimeout, responseTimeout, maxResponseBytes, base, udpMaxRetries);
    }

    public TrackerSettings withUdpMaxRetries(int retries) {
        return new TrackerSettings(connectTimeout, responseTimeout, maxResponseBytes, udpBaseTimeout, retries);
    }

    public TrackerSettings withMaxResponseBytes(int max) {
        return new TrackerSettings(connectTimeout, responseTimeout, max, udpBaseTimeout, udpMaxRetries);
    }

    public TrackerSettings withResponseTimeout(Duration timeout) {
        return new TrackerSettings(connectTimeout, timeout, maxResponseBytes, udpBaseTimeout, udpMaxRetries);
    }
}
