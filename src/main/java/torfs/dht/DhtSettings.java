package torfs.dht;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How a {@link DhtNode} runs.
 *
 * @param bootstrap      {@code host:port} entries ({@code [v6]:port} too) to join through;
 *                       host names are resolved off the event loop at start
 * @param loopbackOnly   refuse bootstrap entries outside 127.0.0.0/8 and ::1 (IllegalArgumentException
 *                       here, host names included since they cannot be checked without DNS) and
 *                       drop, counted, every datagram to any other address. Every test sets it.
 * @param stateFile      where our id and good nodes are kept across runs (bencoded), or null
 * @param externalIp     our address as the internet sees it, for a BEP 42 id; null: derived
 *                       from the bound address (a random id for 0.0.0.0)
 * @param queryTimeout   how long a query waits for its answer
 * @param maintenance    how often buckets are refreshed, questionable nodes pinged and peers expired
 * @param saveEvery      how often the state file is rewritten while running
 * @param queriesPerSecondPerSource answered per source IP, sustained (burst: twice that)
 * @param peersPerHash   announced peers kept per info-hash
 * @param maxHashes      info-hashes kept in the peer store
 * @param maxPeers       peers kept in the peer store in all
 */
public record DhtSettings(List<String> bootstrap, boolean loopbackOnly, Path stateFile, InetAddress externalIp,
                          Duration queryTimeout, Duration maintenance, Duration saveEvery,
                          int queriesPerSecondPerSource, int peersPerHash, int maxHashes, int maxPeers) {

    /** The well-known routers, for users. Never in a test: this machine's tests stay on loopback. */
    public static final List<String> PUBLIC_ROUTERS = List.of(
            "router.bittorrent.com:6881", "dht.transmissionbt.com:6881",
            "router.utorrent.com:6881", "dht.libtorrent.org:25401");

    public DhtSettings {
        bootstrap = List.copyOf(bootstrap);
        if (loopbackOnly) {
            for (String b : bootstrap) {
                InetSocketAddress a = parseLiteral(b);
                if (a == null || !isLoopback(a)) {
                    throw new IllegalArgumentException("loopback-only DHT refuses bootstrap node " + b);
                }
            }
        }
        if (queryTimeout.isNegative() || queryTimeout.isZero() || maintenance.isNegative() || maintenance.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /** The public routers, no state file, 2.5 s query timeout, a maintenance round a minute. */
    public static DhtSettings defaults() {
        return new DhtSettings(PUBLIC_ROUTERS, false, null, null, Duration.ofMillis(2500), Duration.ofMinutes(1),
                Duration.ofMinutes(10), 20, 100, 2_000, 20_000);
    }

    /** No bootstrap nodes, loopback only, short timeouts (long enough for a loaded 2-core CI box): what tests start from. */
    public static DhtSettings loopbackForTests() {
        return new DhtSettings(List.of(), true, null, null, Duration.ofMillis(1500), Duration.ofSeconds(5),
                Duration.ofMinutes(10), 200, 100, 2_000, 20_000);
    }

    public DhtSettings withBootstrap(List<String> nodes) {
        return new DhtSettings(nodes, loopbackOnly, stateFile, externalIp, queryTimeout, maintenance, saveEvery,
                queriesPerSecondPerSource, peersPerHash, maxHashes, maxPeers);
    }

    public DhtSettings withLoopbackOnly(boolean only) {
        return new DhtSettings(bootstrap, only, stateFile, externalIp, queryTimeout, maintenance, saveEvery,
                queriesPerSecondPerSource, peersPerHash, maxHashes, maxPeers);
    }

    public DhtSettings withStateFile(Path file) {
        return new DhtSettings(bootstrap, loopbackOnly, file, externalIp, queryTimeout, maintenance, saveEvery,
                queriesPerSecondPerSource, peersPerHash, maxHashes, maxPeers);
    }

    public DhtSettings withExternalIp(InetAddress ip) {
        return new DhtSettings(bootstrap, loopbackOnly, stateFile, ip, queryTimeout, maintenance, saveEvery,
                queriesPerSecondPerSource, peersPerHash, maxHashes, maxPeers);
    }

    public DhtSettings withQueryTimeout(Duration timeout) {
        return new DhtSettings(bootstrap, loopbackOnly, stateFile, externalIp, timeout, maintenance, saveEvery,
                queriesPerSecondPerSource, peersPerHash, maxHashes, maxPeers);
    }

    public DhtSettings withMaintenance(Duration every) {
        return new DhtSettings(bootstrap, loopbackOnly, stateFile, externalIp, queryTimeout, every, saveEvery,
                queriesPerSecondPerSource, peersPerHash, maxHashes, maxPeers);
    }

    /** Whether {@code a} is in 127.0.0.0/8 or is ::1. */
    public static boolean isLoopback(InetSocketAddress a) {
        return a.getAddress() != null && a.getAddress().isLoopbackAddress();
    }

    /** {@code host:port} with an IP literal host, or null (a name, or not that shape). No DNS. */
    static InetSocketAddress parseLiteral(String hostPort) {
        HostPort hp = HostPort.parse(hostPort);
        if (hp == null || !hp.isLiteral()) {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(hp.host()), hp.port());
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** A bootstrap entry split; a host is a literal when it is dotted digits or has a ':'. */
    record HostPort(String host, int port) {
        static HostPort parse(String s) {
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || colon == s.length() - 1) {
                return null;
            }
            String host = s.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                int port = Integer.parseInt(s.substring(colon + 1));
                return port > 0 && port <= 65535 && !host.isEmpty() ? new HostPort(host, port) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }

        boolean isLiteral() {
            return host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") || host.matches("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
        }
    }
}
