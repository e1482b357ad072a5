package torfs.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import torfs.fuse.FuseMount;
import torfs.fuse.MountException;
import torfs.metainfo.InfoHash;
import torfs.metainfo.MagnetLink;
import torfs.metainfo.Torrent;
import torfs.stream.ReaderConfig;

/** {@code torfs mount SOURCE MNT}: the torrent's files appear under MNT and download as read. */
@Command(name = "mount", mixinStandardHelpOptions = true,
        description = {"Mount a torrent read-only; files download as they are read.",
                "Returns once the mount is ready; the filesystem runs in the background until",
                "`torfs unmount MNT` (or fusermount -u MNT). With -f it stays in the foreground."})
public final class MountCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SOURCE", description = "A .torrent file or a magnet link.")
    String source;

    @Parameters(index = "1", paramLabel = "MNT", description = "An empty directory to mount on.")
    Path mountPoint;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Data directory (default: $XDG_CACHE_HOME/torfs/<infohash> or ~/.cache/torfs/<infohash>).")
    Path dataDir;

    @Option(names = "--peer", paramLabel = "HOST:PORT", description = "Connect to this peer too (repeatable).")
    List<String> peers = new ArrayList<>();

    @Option(names = "--bind", paramLabel = "ADDR", description = "Local address to listen on and connect from.")
    String bind;

    @Option(names = "--port", paramLabel = "P", description = "Listen port (default: any).")
    int port;

    @Option(names = "--max-up", paramLabel = "BYTES/S", description = "Upload limit, e.g. 500K (default: none).")
    String maxUp = "0";

    @Option(names = "--max-down", paramLabel = "BYTES/S", description = "Download limit, e.g. 10M (default: none).")
    String maxDown = "0";

    @Option(names = "--read-timeout", paramLabel = "SECONDS",
            description = "A read waits this long for missing data before it fails with EIO (default: 120).")
    long readTimeoutSeconds = ReaderConfig.DEFAULT_READ_TIMEOUT.toSeconds();

    @Option(names = "--readahead", paramLabel = "BYTES",
            description = "Cap of the readahead window of a sequential reader (default: 64M).")
    String readahead = "64M";

    @Option(names = "--lazy", description = "Download only what is read.")
    boolean lazy;

    @Option(names = "--cache-size", paramLabel = "BYTES",
            description = "Keep at most this much of the torrent on disk, e.g. 2G; the least recently read "
                    + "pieces are evicted (implies --lazy; default: no cap).")
    String cacheSize;

    @Option(names = "--dht-bootstrap", paramLabel = "HOST:PORT",
            description = "Join the DHT through this node instead of the public routers (repeatable).")
    List<String> dhtBootstrap = new ArrayList<>();

    @Option(names = "--no-dht", description = "Find peers through trackers and peers only, not the DHT.")
    boolean noDht;

    @Option(names = "--metadata-timeout", paramLabel = "SECONDS",
            description = "A magnet's metadata must arrive within this time, else the mount fails (default: 120).")
    long metadataTimeoutSeconds = MountOptions.DEFAULT_METADATA_TIMEOUT.toSeconds();

    @Option(names = "--transport", paramLabel = "tcp|utp|both",
            description = "Peer connections over TCP, uTP (BEP 29) or both (default: both).")
    String transport = "both";

    @Option(names = "--encryption", paramLabel = "MODE",
            description = "Protocol encryption (MSE/PE): prefer, require or disable (default: prefer).")
    String encryption = "prefer";

    @Option(names = {"-f", "--foreground"}, description = "Stay in the foreground (a status line on a terminal).")
    boolean foreground;

    @Option(names = "-o", paramLabel = "OPTIONS", description = "FUSE mount options, e.g. allow_other (repeatable).")
    List<String> fuseOptions = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (readTimeoutSeconds <= 0) {
            throw new UserError("--read-timeout must be positive");
        }
        if (metadataTimeoutSeconds <= 0) {
            throw new UserError("--metadata-timeout must be positive");
        }
        SourceFactory factory = SourceFactory.current();
        MagnetLink magnet = null;
        Torrent torrent = null;
        Path sourcePath;
        InfoHash infoHash;
        if (TorrentSource.isMagnet(source)) {
            magnet = MagnetLink.parse(source); // a malformed one: one line, exit 2
            infoHash = magnet.infoHash();
            sourcePath = null;
        } else {
            sourcePath = Path.of(source).toAbsolutePath();
            if (!Files.isRegularFile(sourcePath)) {
                throw new UserError(source + ": no such file");
            }
            torrent = factory.load(sourcePath);
            infoHash = torrent.infoHash();
        }
        Path mnt = mountPoint.toAbsolutePath().normalize();
        Path data = (dataDir != null ? dataDir : MountOptions.defaultDataDir(infoHash))
                .toAbsolutePath().normalize();
        if (magnet != null) {
            sourcePath = MagnetMetadata.savedFile(data, infoHash);
        }
        List<String> fuseOpts = new ArrayList<>();
        for (String o : fuseOptions) {
            fuseOpts.addAll(Arrays.stream(o.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
        }
        long cap = cacheSize == null ? 0 : CacheSize.parse(cacheSize, torrent);
        long window = Sizes.parse("--readahead", readahead);
        if (cap > 0) {
            window = Math.min(window, CacheSize.readaheadCap(cap)); // never a window the cache cannot hold
        }
        MountOptions opts = new MountOptions(sourcePath, mnt, data, peers, bind, port, Sizes.parse("--max-up", maxUp),
                Sizes.parse("--max-down", maxDown), Duration.ofSeconds(readTimeoutSeconds),
                window, lazy || cap > 0, fuseOpts, magnet == null ? null : source,
                dhtBootstrap, noDht, Duration.ofSeconds(metadataTimeoutSeconds),
                DownloadCommand.NetworkOptions.transportMode(transport),
                DownloadCommand.NetworkOptions.encryptionMode(encryption), cap);
        SourceFactories.network(opts).settings(); // a bad --dht-bootstrap or --peer is refused here, not in the child
        if (cap > 0) {
            CacheSize.checkHolePunching(data); // tmpfs and friends: one line now, not a full disk later
        }
        try {
            FuseMount.check(mnt);
        } catch (MountException e) {
            throw new UserError(e.getMessage(), e);
        }
        if (foreground || DetachedMount.requested()) {
            if (torrent == null) {
                FuseMount.warmUp(); // while the metadata is fetched
                torrent = factory.load(opts); // the magnet's metadata, in the process that serves it
            }
        }
        if (foreground) {
            return ForegroundMount.run(factory, torrent, opts, System.out, null);
        }
        if (DetachedMount.requested()) {
            return ForegroundMount.run(factory, torrent, opts, System.out,
                    () -> DetachedMount.ready(opts.dataDir().resolve(MountDaemon.LOG_FILE)));
        }
        return MountDaemon.start(opts);
    }
}
