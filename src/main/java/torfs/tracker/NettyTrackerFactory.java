package torfs.tracker;

import io.netty.channel.EventLoopGroup;
import java.util.Locale;

/**
 * Makes HTTP(S) and UDP trackers on the caller's Netty group. One instance per client: all its
 * UDP trackers share one socket, closed by {@link #close()}. Announces leave from
 * {@link TrackerSettings#localAddress()} when set (a client bound to 127.0.0.2 is advertised as
 * 127.0.0.2).
 */
public final class NettyTrackerFactory implements TrackerFactory, AutoCloseable {
    private final EventLoopGroup group;
    private final TrackerSettings settings;
    private final UdpSocket udp;

    public NettyTrackerFactory(EventLoopGroup group) {
        this(group, TrackerSettings.DEFAULT);
    }

    public NettyTrackerFactory(EventLoopGroup group, TrackerSettings settings) {
        this.group = group;
        this.settings = settings;
        this.udp = new UdpSocket(group, settings.localAddress());
    }

    @Override
    public Tracker create(String announceUrl) throws TrackerException {
        String lower = announceUrl.strip().toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return new HttpTracker(announceUrl.strip(), group, settings);
        }
        if (lower.startsWith("udp://")) {
            return new UdpTracker(announceUrl.strip(), udp, settings);
        }
        throw new TrackerException("unsupported tracker URL scheme: " + announceUrl);
    }

    @Override
    public void close() {
        udp.close();
    }
}
