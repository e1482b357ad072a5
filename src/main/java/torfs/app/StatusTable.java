package torfs.app;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import torfs.control.Json;

/** The compact table of `torfs list` and `torfs status`, from the API's JSON. */
final class StatusTable {
    private StatusTable() {
    }

    static String render(String json) {
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
        }
        return b.toString();
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
