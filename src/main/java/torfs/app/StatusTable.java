package torfs.app;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import torfs.control.Json;

/**
 * The compact table of `torfs list` and `torfs status`, from the API's JSON; with trackers,
 * `torfs status --trackers`: under each torrent a line per tracker and one for its DHT
 * lookups, and the process's DHT node at the end.
 */
final class StatusTable {
    private StatusTable() {
    }

    static String render(String json) {
        return render(json, false, 0);
    }

    /** {@code nowSeconds}: epoch seconds the tracker times are told relative to. */
    static String render(String json, boolean trackers, long nowSeconds) {
        Object parsed = Json.parse(json);
        if (!(parsed instanceof Map<?, ?> root) || !(root.get("torrents") instanceof List<?> torrents)) {
            throw new IllegalStateException("unexpected answer from the mount");
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-10s %-12s %9s %6s %9s %9s %5s %8s  %s%n",
                "HASH", "STATE", "SIZE", "DONE", "DOWN/s", "UP/s", "PEERS", "ETA", "NAME"));
        for (Object o : torrents) {
            Map<?, ?> t = (Map<?, ?>) o;
            b.append(String.format(Locale.ROOT, "%-10s %-12s %9s %5.1f%% %9s %9s %5d %8s  %s%n",
                    String.valueOf(t.get("hashString")).substring(0, 8),
                    t.get("state"),
                    Sizes.format(num(t.get("totalSize"))),
                    100 * dbl(t.get("percentDone")),
                    Sizes.format(num(t.get("rateDownload"))),
                    Sizes.format(num(t.get("rateUpload"))),
                    num(t.get("peersConnected")),
                    eta(num(t.get("eta"))),
                    t.get("name")));
            if (t.get("error") instanceof String error && !error.isEmpty()) {
                b.append("  error: ").append(error).append('\n'); // the why of STATE error, not only in the log
            }
            if (trackers) {
                trackerLines(b, t, nowSeconds);
            }
        }
        if (trackers && root.get("dht") instanceof Map<?, ?> dht) {
            b.append("DHT: ").append(dht.get("state"));
            if (Boolean.TRUE.equals(dht.get("enabled"))) {
                b.append(", ").append(num(dht.get("nodes"))).append(" nodes");
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static void trackerLines(StringBuilder b, Map<?, ?> t, long now) {
        if (t.get("trackerStats") instanceof List<?> stats) {
            for (Object o : stats) {
                Map<?, ?> s = (Map<?, ?>) o;
                b.append("  tracker ").append(s.get("announce")).append(" (tier ").append(num(s.get("tier"))).append("): ");
                if (!Boolean.TRUE.equals(s.get("hasAnnounced"))) {
                    String r = String.valueOf(s.get("lastAnnounceResult"));
                    b.append(r.isEmpty() ? "not announced yet" : r);
                } else if (Boolean.TRUE.equals(s.get("lastAnnounceSucceeded"))) {
                    long peers = num(s.get("lastAnnouncePeerCount"));
                    b.append("ok ").append(ago(num(s.get("lastAnnounceTime")), now)).append(", ")
                            .append(peers).append(peers == 1 ? " peer" : " peers");
                    long seeders = num(s.get("seederCount"));
                    long leechers = num(s.get("leecherCount"));
                    if (seeders >= 0 && leechers >= 0) {
                        b.append(" (").append(seeders).append(" seeding, ").append(leechers).append(" leeching)");
                    }
                } else {
                    b.append("failed ").append(ago(num(s.get("lastAnnounceTime")), now)).append(": ")
                            .append(s.get("lastAnnounceResult"));
                }
                next(b, s.get("isUpdating"), "announcing", num(s.get("nextAnnounceTime")), now);
            }
        }
        if (t.get("dht") instanceof Map<?, ?> d) {
            b.append("  dht: ");
            long last = num(d.get("lastLookupTime"));
            if (last > 0) {
                long peers = num(d.get("lastLookupPeerCount"));
                b.append(peers).append(peers == 1 ? " peer" : " peers").append(" from ")
                        .append(num(d.get("lastLookupNodeCount"))).append(" nodes ").append(ago(last, now));
            } else {
                b.append("no lookup finished yet");
            }
            next(b, d.get("lookingUp"), "looking up", num(d.get("nextLookupTime")), now);
        }
    }

    /** Ends a tracker or DHT line: busy now, or when the next round is due. */
    private static void next(StringBuilder b, Object busy, String doing, long next, long now) {
        if (Boolean.TRUE.equals(busy)) {
            b.append(", ").append(doing);
        } else if (next > 0) {
            b.append(", next in ").append(eta(Math.max(1, next - now)));
        }
        b.append('\n');
    }

    private static String ago(long then, long now) {
        return eta(Math.max(1, now - then)) + " ago";
    }

    static String eta(long seconds) {
        if (seconds < 0) {
            return "-";
        }
        if (seconds == 0) {
            return "done";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds / 60 % 60);
    }

    private static long num(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    private static double dbl(Object o) {
        return o instanceof Number n ? n.doubleValue() : 0;
    }
}
