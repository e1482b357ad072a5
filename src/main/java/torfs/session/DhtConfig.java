package torfs.session;

import java.nio.file.Path;
import java.util.List;

/**
 * How a {@link Client} runs its mainline DHT node (none when the settings hold null).
 *
 * @param bootstrap    HOST:PORT of the nodes to join through when the saved table is empty
 * @param stateFile    where the routing table is kept between runs (null: not kept)
 * @param loopbackOnly refuse every address outside 127.0.0.0/8 and ::1: bootstrap nodes are
 *                     checked at once, nodes learned later are never contacted (tests,
 *                     benchmarks and the demo run so; see {@code torfs.app.LoopbackOnly})
 */
public record DhtConfig(List<String> bootstrap, Path stateFile, boolean loopbackOnly) {
    /** The routers BitTorrent clients join through; for users, never for tests. */
    public static final List<String> PUBLIC_ROUTERS = List.of("router.bittorrent.com:6881",
            "dht.transmissionbt.com:6881", "router.utorrent.com:6881", "dht.libtorrent.org:25401");

    public DhtConfig {
        bootstrap = List.copyOf(bootstrap);
    }
}
