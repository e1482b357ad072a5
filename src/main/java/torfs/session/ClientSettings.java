package torfs.session;

import java.net.InetAddress;
import java.time.Duration;

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
 * @param maxRequestDepth    pipeline cap per peer
 * @param bypassWriteCache   downloaded pieces are written around the page cache where the
 *                           file system allows it (see {@code torfs.storage.DirectWrites})
 */
public record ClientSettings(InetAddress bind, int port, long maxUpload, long maxDownload,
                             int maxPeersPerTorrent, int maxPeersTotal, Duration connectTimeout,
                             int diskThreads, int maxRequestDepth, boolean bypassWriteCache) {
    public static final int DEFAULT_PORT = 6881;
    /**
     * Pipeline cap per peer for bulk transfers (download, seed): the depth follows about one
     * second of the peer's measured rate, bounded by the queue it announces (reqq; libtorrent
     * announces 2000) and by this.
     */
    public static final int BULK_REQUEST_DEPTH = 2000;
    /**
     * Pipeline cap per peer while files are read through a mount: a block a read waits for is
     * queued behind at most 1 MiB at the peer (libtorrent serves every queued request at once,
     * so a cancel cannot shorten the queue); 20 MB/s per peer across a 50 ms path.
     */
    public static final int STREAMING_REQUEST_DEPTH = 64;

    public static ClientSettings defaults() {
        return new ClientSettings(null, DEFAULT_PORT, 0, 0, 50, 200, Duration.ofSeconds(5), 2,
                BULK_REQUEST_DEPTH, true);
    }

    public ClientSettings withPort(int p) {
        return new ClientSettings(bind, p, maxUpload, maxDownload, maxPeersPerTorrent, maxPeersTotal,
                connectTimeout, diskThreads, maxRequestDepth, bypassWriteCache);
    }

    public ClientSettings withBind(InetAddress b) {
        return new ClientSettings(b, port, maxUpload, maxDownload, maxPeersPerTorrent, maxPeersTotal,
                connectTimeout, diskThreads, maxRequestDepth, bypassWriteCache);
    }

    public ClientSettings withLimits(long up, long down) {
        return new ClientSettings(bind, port, up, down, maxPeersPerTorrent, maxPeersTotal,
                connectTimeout, diskThreads, maxRequestDepth, bypassWriteCache);
    }

    public ClientSettings withMaxRequestDepth(int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("request depth must be positive");
        }
        return new ClientSettings(bind, port, maxUpload, maxDownload, maxPeersPerTorrent, maxPeersTotal,
                connectTimeout, diskThreads, depth, bypassWriteCache);
    }

    public ClientSettings withBypassWriteCache(boolean bypass) {
        return new ClientSettings(bind, port, maxUpload, maxDownload, maxPeersPerTorrent, maxPeersTotal,
                connectTimeout, diskThreads, maxRequestDepth, bypass);
    }
}
