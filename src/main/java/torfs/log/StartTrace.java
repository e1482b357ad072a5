package torfs.log;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code TORFS_TRACE_START=1}: the milestones of a start (main, torrent parsed, port bound,
 * data checked, announce, connect, handshake, unchoke, first block written, ...) as one stderr
 * line each, the first time each happens: {@code torfs-trace: 812.4 ms first block written}.
 * Times count from the launch: the launcher's {@code TORFS_TRACE_T0} (epoch nanoseconds), else
 * the JVM process's start (10 ms resolution). Off by default, and then one static boolean test.
 */
public final class StartTrace {
    private static final boolean ON = isOn(System.getenv("TORFS_TRACE_START"));
    private static final Set<String> SEEN = ON ? ConcurrentHashMap.newKeySet() : null;
    private static final long BASE_NANOS = ON ? base() : 0;

    private StartTrace() {
    }

    static boolean isOn(String value) {
        return value != null && !value.isEmpty() && !value.equals("0");
    }

    /** True when tracing: for marks that cost something to name. */
    public static boolean on() {
        return ON;
    }

    /** Prints {@code what} with the time since launch, the first time only. */
    public static void mark(String what) {
        if (ON && SEEN.add(what)) {
            // the time is read under the lock that prints, so lines of two threads come out in
            // time order (read outside it, "files prepared" once printed after a later mark)
            synchronized (System.err) {
                System.err.printf("torfs-trace: %8.1f ms %s%n", (epochNanos() - BASE_NANOS) / 1e6, what);
            }
        }
    }

    private static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static long base() {
        String t0 = System.getenv("TORFS_TRACE_T0");
        if (t0 != null) {
            try {
                return Long.parseLong(t0.strip());
            } catch (NumberFormatException e) {
                // fall back to the process's start
            }
        }
        return ProcessHandle.current().info().startInstant()
                .map(i -> i.getEpochSecond() * 1_000_000_000L + i.getNano())
                .orElse(epochNanos());
    }
}
