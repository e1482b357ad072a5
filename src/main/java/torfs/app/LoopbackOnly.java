package torfs.app;

import java.net.InetAddress;

/**
 * The guard tests, benchmarks and the demo run under ({@value #ENV}=1, set by native-test/lib.sh,
 * the benchmark scripts, the demo and Maven's test runs): the DHT is off unless given loopback
 * nodes, and any address outside 127.0.0.0/8 and ::1 named on the command line (a DHT node, a
 * peer) is refused before anything is sent.
 */
final class LoopbackOnly {
    static final String ENV = "TORFS_LOOPBACK_ONLY";

    private LoopbackOnly() {
    }

    static boolean active() {
        String v = System.getenv(ENV);
        return v != null && !v.isBlank() && !v.equals("0");
    }

    /** Throws a one-line error when the guard is on and {@code address} is not loopback. */
    static void check(String option, String spec, InetAddress address) {
        if (active() && !address.isLoopbackAddress()) {
            throw new UserError(option + " " + spec + ": refused, " + ENV
                    + " allows only 127.0.0.0/8 and ::1");
        }
    }
}
