package torfs.session;

import java.net.InetAddress;
import torfs.dht.DhtSettings;
import torfs.transport.TransportMode;
import java.time.Duration;
import torfs.transport.mse.Encryption;

/**
 * Settings of one {@link Client}.
 *
 * @param bind               address to listen on and connect from (null: any)
 * @param port               listening port; 0 picks a free one
 * @param maxUpload          bytes per second sent to all peers, 0 for no limit
 * @param maxDownload        bytes per second received from all peers, 0 for no limit
 * @param maxPeersPerTorrent connections per torrent
 * @param maxPeersTotal      connections of the whole client
 * @param connectTimeout     for outgoing connections
 * @param diskThreads        threads writing, hashing and reading blocks
 * @param requests           how peers' request queues are kept (bulk or streaming)
 * @param bypassWriteCache   downloaded pieces are written around the page cache where the
 *                           file system allows it (see {@code torfs.storage.DirectWrites})
 * @param clientName         how we name ourselves to peers (the extension handshake's
 *                           {@code v}); the application passes its name and version
 * @param dht                the DHT node to run, null for none (the engine's default: only the
 *                           command line turns it on)
 * @param transport          TCP, uTP or both for peer connections (the engine's default is TCP;
 *                           the command line's is both)
 * @param encryption         protocol encryption (MSE/PE); the engine's default is DISABLE
 *                           (plaintext, as peers written for tests speak), the command line's PREFER
 */
public record ClientSettings(InetAddress bind, int port, long maxUpload, long maxDownload,
                             int maxPeersPerTorrent, int maxPeersTotal, Duration connectTimeout,
                             int diskThreads, RequestPolicy requests, boolean bypassWriteCache,
                             String clientName, DhtSettings dht, TransportMode transport, Encryption encryption) {
    public static final int DEFAULT_PORT = 6881;

    public static ClientSettings defaults() {
        return new ClientSettings(null, DEFAULT_PORT, 0, 0, 50, 200, Duration.ofSeconds(5), 2,
                RequestPolicy.BULK, true, "TorFS", null, TransportMode.TCP, Encryption.DISABLE);
    }

    public ClientSettings withPort(int p) {
        return new ClientSettings(bind, p, maxUpload, maxDownload, maxPeersPerTorrent, maxPeersTotal,
                connectTimeout, diskThreads, requests, bypassWriteCache, clientName, dht, transport, encryption);
    }

    public ClientSettings withBind(InetAddress b) {
        return new ClientSettings(b, port, maxUpload, maxDownload, maxPeersPerTorrent, maxPeersTotal,
                connectTimeout, diskThreads, requests, bypassWriteCache, clientName, dht, transport, encryption);
    }

    public ClientSettings withLimits(long up, long down) {
        return new ClientSettings(bind, port, up, down, maxPeersPerTorrent, maxPeersTotal,
                connectTimeout, diskThreads, requests, bypassWriteCache, clientName, dht, transport, encryption);
    }

    public ClientSettings withRequests(RequestPolicy policy) {
        return new ClientSettings(bind, port, maxUpload, maxDownload, maxPeersPerTorrent, maxPeersTotal,
                connectTimeout, diskThreads, policy, bypassWriteCache, clientName, dht, transport, encryption);
    }

    public ClientSettings withBypassWriteCache(boolean bypass) {
        return new ClientSettings(bind, port, maxUpload, maxDownload, maxPeersPerTorrent, maxPeersTotal,
                connectTimeout, diskThreads, requests, bypass, clientName, dht, transport, encryption);
    }

    public ClientSettings withClientName(String name) {
        return new ClientSettings(bind, port, maxUpload, maxDownload, maxPeersPerTorrent, maxPeersTotal,
                connectTimeout, diskThreads, requests, bypassWriteCache, name, dht, transport, encryption);
    }

    public ClientSettings withDht(DhtSettings config) {
        return new ClientSettings(bind, port, maxUpload, maxDownload, maxPeersPerTorrent, maxPeersTotal,
                connectTimeout, diskThreads, requests, bypassWriteCache, clientName, config, transport, encryption);
    }

    public ClientSettings withTransport(TransportMode mode) {
        return new ClientSettings(bind, port, maxUpload, maxDownload, maxPeersPerTorrent, maxPeersTotal,
                connectTimeout, diskThreads, requests, bypassWriteCache, clientName, dht, mode, encryption);
    }

    public ClientSettings withEncryption(Encryption mode) {
        return new ClientSettings(bind, port, maxUpload, maxDownload, maxPeersPerTorrent, maxPeersTotal,
                connectTimeout, diskThreads, requests, bypassWriteCache, clientName, dht, transport, mode);
    }
}
