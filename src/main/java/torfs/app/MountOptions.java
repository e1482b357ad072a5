package torfs.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import torfs.metainfo.InfoHash;

/**
 * Everything `torfs mount` was asked for, resolved (the data directory is never null).
 *
 * @param source      the .torrent file
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
 */
public record MountOptions(Path source, Path mountPoint, Path dataDir, List<String> peers, String bind, int port,
                           long maxUp, long maxDown, Duration readTimeout, long readahead, boolean lazy,
                           List<String> fuseOptions) {
    public MountOptions {
        peers = List.copyOf(peers);
        fuseOptions = List.copyOf(fuseOptions);
    }

    /** $XDG_CACHE_HOME/torfs/<infohash> or ~/.cache/torfs/<infohash>. */
    public static Path defaultDataDir(InfoHash infoHash) {
        return cacheRoot().resolve(infoHash.hex());
    }

    /** $XDG_CACHE_HOME/torfs or ~/.cache/torfs. */
    public static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("torfs");
    }
}
