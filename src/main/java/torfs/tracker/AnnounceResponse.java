package torfs.tracker;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * A tracker's successful answer. Intervals are already made sane (see {@link #normalized});
 * {@code seeders}/{@code leechers} are -1 when the tracker did not say.
 */
public record AnnounceResponse(int intervalSeconds, int minIntervalSeconds, List<InetSocketAddress> peers,
                               int seeders, int leechers, Optional<String> warning, Optional<String> trackerId) {
    /** Used when a tracker sends no, zero or a negative interval. */
    public static final int DEFAULT_INTERVAL_SECONDS = 1800;
    /** No tracker may make us announce more often than this. */
    public static final int MIN_INTERVAL_FLOOR_SECONDS = 60;

    public AnnounceResponse {
        peers = List.copyOf(peers);
    }

    /**
     * Builds a response from raw tracker numbers: interval &le; 0 becomes the default, every
     * interval is at least {@link #MIN_INTERVAL_FLOOR_SECONDS}, and min interval (0 or absent
     * = the floor) never exceeds the interval.
     */
    static AnnounceResponse normalized(long interval, long minInterval, List<InetSocketAddress> peers,
                                       long seeders, long leechers, Optional<String> warning,
                                       Optional<String> trackerId) {
        int iv = interval <= 0 ? DEFAULT_INTERVAL_SECONDS : clampToInt(interval);
        iv = Math.max(iv, MIN_INTERVAL_FLOOR_SECONDS);
        int min = minInterval <= 0 ? MIN_INTERVAL_FLOOR_SECONDS : clampToInt(minInterval);
        min = Math.min(Math.max(min, MIN_INTERVAL_FLOOR_SECONDS), iv);
        return new AnnounceResponse(iv, min, peers, count(seeders), count(leechers), warning, trackerId);
    }

    private static int clampToInt(long v) {
        return (int) Math.min(v, 7 * 24 * 3600); // a week: anything longer is a broken tracker
    }

    private static int count(long v) {
        return v < 0 ? -1 : (int) Math.min(v, Integer.MAX_VALUE);
    }
}
