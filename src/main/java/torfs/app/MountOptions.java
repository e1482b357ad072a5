package torfs.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import torfs.metainfo.InfoHash;
import torfs.storage.StateLocation;
import torfs.transport.TransportMode;
import torfs.transport.mse.Encryption;

/**
 * Everything `torfs mount` was asked for, resolved (the data directory is never null).
 *
 * @param source      the .torrent file (for a magnet: its saved metadata, which may not exist yet)
 * @param mountPoint  where the filesystem appears
 * @param dataDir     where downloaded data and resume state live
 * @param peers       extra peers to connect to, "host:port"
 * @param bind        local address to listen on and connect from, null for any
 * @param port        listen port, 0 for any
 * @param maxUp       upload limit in bytes/s, 0 for none
 * @param maxDown     download limit in bytes/s, 0 for none
 * @param readTimeout how long a read waits for missing pieces before EIO
 * @param readahead   cap of a handle's readahead window in bytes
 * @param lazy        download only what is read (no background download of the rest)
 * @param fuseOptions user -o options passed to libfuse (e.g. allow_other)
 * @param magnet      the magnet link mounted, null for a .torrent
 * @param dhtBootstrap DHT nodes to join through (empty: the default routers)
 * @param noDht       run no DHT node
 * @param metadataTimeout how long a magnet's metadata may take to arrive before the mount fails
 * @param transport   TCP, uTP or both for peer connections
 * @param encryption  protocol encryption (MSE/PE): prefer, require or disable
 * @param cacheSize   cap in bytes of the verified pieces kept on disk (implies lazy), 0 for none
 */
public record MountOptions(Path source, Path mountPoint, Path dataDir, List<String> peers, String bind, int port,
                           long maxUp, long maxDown, Duration readTimeout, long readahead, boolean lazy,
                           List<String> fuseOptions, String magnet, List<String> dhtBootstrap, boolean noDht,
                           Duration metadataTimeout, TransportMode transport, Encryption encryption,
                           long cacheSize) {
    public static final Duration DEFAULT_METADATA_TIMEOUT = Duration.ofSeconds(120);

    public MountOptions {
        peers = List.copyOf(peers);
        fuseOptions = List.copyOf(fuseOptions);
        dhtBootstrap = List.copyOf(dhtBootstrap);
    }

    /** Where this mount keeps its pid file, log and control socket ({@link StateLocation}). */
    public Path stateDir() {
        return StateLocation.of(dataDir);
    }

    /** No cache cap. */
    public MountOptions(Path source, Path mountPoint, Path dataDir, List<String> peers, String bind, int port,
                        long maxUp, long maxDown, Duration readTimeout, long readahead, boolean lazy,
                        List<String> fuseOptions, String magnet, List<String> dhtBootstrap, boolean noDht,
                        Duration metadataTimeout, TransportMode transport, Encryption encryption) {
        this(source, mountPoint, dataDir, peers, bind, port, maxUp, maxDown, readTimeout, readahead, lazy,
                fuseOptions, magnet, dhtBootstrap, noDht, metadataTimeout, transport, encryption, 0);
    }

    /** Peers over both TCP and uTP, encryption preferred: the command line's defaults. */
    public MountOptions(Path source, Path mountPoint, Path dataDir, List<String> peers, String bind, int port,
                        long maxUp, long maxDown, Duration readTimeout, long readahead, boolean lazy,
                        List<String> fuseOptions, String magnet, List<String> dhtBootstrap, boolean noDht,
                        Duration metadataTimeout) {
        this(source, mountPoint, dataDir, peers, bind, port, maxUp, maxDown, readTimeout, readahead, lazy,
                fuseOptions, magnet, dhtBootstrap, noDht, metadataTimeout, TransportMode.BOTH, Encryption.PREFER);
    }

    /** A .torrent mount with the DHT left to its default. */
    public MountOptions(Path source, Path mountPoint, Path dataDir, List<String> peers, String bind, int port,
                        long maxUp, long maxDown, Duration readTimeout, long readahead, boolean lazy,
                        List<String> fuseOptions) {
        this(source, mountPoint, dataDir, peers, bind, port, maxUp, maxDown, readTimeout, readahead, lazy,
                fuseOptions, null, List.of(), false, DEFAULT_METADATA_TIMEOUT);
    }

    /** $XDG_CACHE_HOME/torfs/<infohash> or ~/.cache/torfs/<infohash>. */
    public static Path defaultDataDir(InfoHash infoHash) {
        return cacheRoot().resolve(infoHash.hex());
    }

    /** $XDG_CACHE_HOME/torfs or ~/.cache/torfs. */
    public static Path cacheRoot() {
        return StateLocation.cacheRoot();
    }
}
