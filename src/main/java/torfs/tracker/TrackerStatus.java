package torfs.tracker;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One tracker as the announcer sees it, for display.
 *
 * @param tier               0-based tier (BEP 12)
 * @param working            its last announce succeeded
 * @param updating           an announce to it is in flight
 * @param nextAnnounceMillis epoch millis of its tier's next announce if it is the tier's
 *                           current tracker, else -1
 * @param seeders            from its last reply, -1 unknown
 * @param peers              peers in its last reply
 * @param lastAnnounceMillis epoch millis its last announce ended (answered or failed), 0 for never
 */
public record TrackerStatus(String url, int tier, boolean working, boolean updating, Optional<String> lastError,
                            Optional<String> warning, long nextAnnounceMillis, int seeders, int leechers,
                            int peers, long lastAnnounceMillis) {
    /** The trackers of {@code tiers} as they are before any announce. */
    public static List<TrackerStatus> unannounced(List<List<String>> tiers) {
        List<TrackerStatus> out = new ArrayList<>();
        List<List<String>> usable = Announcer.usable(tiers); // numbered as the announcer numbers them
        for (int tier = 0; tier < usable.size(); tier++) {
            for (String u : usable.get(tier)) {
                out.add(new TrackerStatus(u, tier, false, false, Optional.empty(), Optional.empty(), -1, -1, -1, 0, 0));
            }
        }
        return out;
    }
}
