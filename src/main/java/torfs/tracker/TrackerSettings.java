package torfs.tracker;

import java.net.InetAddress;
import java.time.Duration;

/**
 * Timeouts and caps for tracker traffic.
 *
 * @param connectTimeout   TCP connect to an HTTP(S) tracker
 * @param responseTimeout  from sending an HTTP request to its whole reply
 * @param maxResponseBytes largest HTTP reply body accepted
 * @param udpBaseTimeout   first UDP retransmission timeout; attempt n waits base * 2^n (BEP 15)
 * @param udpMaxRetries    retransmissions before a UDP announce fails (BEP 15: 8)
 * @param localAddress     source address of announces (the client's --bind), null for any: a
 *                         tracker records the sender's address as the peer's
 */
public record TrackerSettings(Duration connectTimeout, Duration responseTimeout, int maxResponseBytes,
                              Duration udpBaseTimeout, int udpMaxRetries, InetAddress localAddress) {
    public static final TrackerSettings DEFAULT = new TrackerSettings(Duration.ofSeconds(10),
            Duration.ofSeconds(30), 2 * 1024 * 1024, Duration.ofSeconds(15), 8, null);

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
        return new TrackerSettings(connectTimeout, responseTimeout, maxResponseBytes, base, udpMaxRetries, localAddress);
    }

    public TrackerSettings withUdpMaxRetries(int retries) {
        return new TrackerSettings(connectTimeout, responseTimeout, maxResponseBytes, udpBaseTimeout, retries, localAddress);
    }

    public TrackerSettings withMaxResponseBytes(int max) {
        return new TrackerSettings(connectTimeout, responseTimeout, max, udpBaseTimeout, udpMaxRetries, localAddress);
    }

    public TrackerSettings withResponseTimeout(Duration timeout) {
        return new TrackerSettings(connectTimeout, timeout, maxResponseBytes, udpBaseTimeout, udpMaxRetries, localAddress);
    }

    /** Announces leave from {@code address} (null: any). */
    public TrackerSettings withLocalAddress(InetAddress address) {
        return new TrackerSettings(connectTimeout, responseTimeout, maxResponseBytes, udpBaseTimeout, udpMaxRetries,
                address);
    }
}
