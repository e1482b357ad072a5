package torfs.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import torfs.fuse.FuseMount;
import torfs.fuse.MountException;
import torfs.metainfo.InfoHash;
import torfs.metainfo.MagnetLink;
import torfs.metainfo.Torrent;
import torfs.stream.ReaderConfig;

/** {@code torfs mount SOURCE MNT}: the torrent's files appear under MNT and download as read. */
@Command(name = "mount", mixinStandardHelpOptions = true,
        description = {"Mount torrents read-only; files download as they are read.",
                "Returns once the mount is ready; the filesystem runs in the background until",
                "`torfs unmount MNT` (or fusermount -u MNT). With -f it stays in the foreground."})
public final class MountCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "SOURCE... MNT", description = {
            "Any number of .torrent files, http(s) URLs of .torrent files and magnet links, then",
            "an empty directory to mount on.",
            "Each torrent shows as MNT/<name>; two of one name get the first 8 hex digits of",
            "their info-hash appended to the second."})
    List<String> positional = new ArrayList<>();

    @Option(names = "--watch", paramLabel = "DIR", description = {
            "Serve every .torrent and .magnet file (one magnet a line) in DIR, adding and",
            "removing torrents as files appear and disappear."})
    Path watchDir;

    @Option(names = "--web", paramLabel = "ADDR:PORT", description = {
            "Serve a status page (piece maps, files, rates; add and remove) at http://ADDR:PORT/.",
            "Off by default; off loopback it needs the token written to the mount's state",
            "directory (web.token). Implies the mount of many (as with several sources)."})
    String web;

    String source;
    Path mountPoint;

    @Option(names = "--data", paramLabel = "DIR", description = {
            "Data directory (default: $XDG_CACHE_HOME/torfs/<infohash> or ~/.cache/torfs/<infohash>).",
            "With several sources or --watch: the root holding DIR/<infohash> per torrent",
            "(default: $XDG_CACHE_HOME/torfs or ~/.cache/torfs)."})
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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        checkFuseOptions();
        if (readTimeoutSeconds <= 0) {
            throw new UserError("--read-timeout must be positive");
        }
        if (metadataTimeoutSeconds <= 0) {
            throw new UserError("--metadata-timeout must be positive");
        }
        if (positional.size() < 2 && watchDir == null) {
            throw new UserError(positional.isEmpty() ? "give SOURCE... MNT" : "give a SOURCE (or --watch DIR) and MNT");
        }
        mountPoint = Path.of(positional.get(positional.size() - 1));
        List<String> sources = positional.subList(0, positional.size() - 1);
        if (sources.size() != 1 || watchDir != null || web != null) {
            return mountMany(sources);
        }
        source = sources.get(0);
        SourceFactory factory = SourceFactory.current();
        MagnetLink magnet = null;
        TorrentUrl.Fetched fetched = null;
        Torrent torrent = null;
        Path sourcePath;
        InfoHash infoHash;
        if (TorrentSource.isMagnet(source)) {
            magnet = MagnetLink.parse(source); // a malformed one: one line, exit 2
            infoHash = magnet.infoHash();
            sourcePath = null;
        } else if (TorrentUrl.isUrl(source)) {
            fetched = TorrentUrl.load(source);
            torrent = fetched.torrent();
            infoHash = torrent.infoHash();
            sourcePath = null;
        } else {
            sourcePath = TorrentSource.file(source);
            torrent = factory.load(sourcePath);
            infoHash = torrent.infoHash();
        }
        Path mnt = mountPoint.toAbsolutePath().normalize();
        Path data = (dataDir != null ? dataDir : MountOptions.defaultDataDir(infoHash))
                .toAbsolutePath().normalize();
        if (magnet != null) {
            sourcePath = MagnetMetadata.savedFile(data, infoHash);
        }
        if (fetched != null) { // the mount (and a child process) reads it from the data directory
            sourcePath = MagnetMetadata.savedFile(data, infoHash);
        }
        outsideTheMount("--data", data, mnt);
        long cap = cacheSize == null ? 0 : CacheSize.parse(cacheSize, torrent);
        MountOptions opts = options(sourcePath, mnt, data, magnet == null ? null : source, cap);
        SourceFactories.network(opts).settings(); // a bad --dht-bootstrap or --peer is refused here, not in the child
        if (cap > 0) {
            CacheSize.checkHolePunching(data); // tmpfs and friends: one line now, not a full disk later
        }
        try {
            FuseMount.check(mnt);
        } catch (MountException e) {
            throw new UserError(e.getMessage(), e);
        }
        if (fetched != null) {
            MagnetMetadata.save(sourcePath, fetched.file());
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
                    () -> DetachedMount.ready(opts.stateDir().resolve(MountDaemon.LOG_FILE)));
        }
        return MountDaemon.start(opts);
    }

    /**
     * A directory below the mount point would be hidden by the mount, and the mount's own writes
     * there would come back into the mount. Refused before anything is created: the mount
     * point was once left holding the new data directory, refused as "not empty".
     */
    static void outsideTheMount(String option, Path dir, Path mnt) {
        if (dir.startsWith(mnt)) {
            throw new UserError(option + " " + dir + " is inside the mount point " + mnt
                    + ", which would hide it");
        }
    }

    /**
     * Each -o entry must be libfuse's: libfuse printed its own "unknown option" line, then the
     * mount failed with a second one. A torfs option written fstab's way is named as the command's.
     */
    private void checkFuseOptions() {
        for (String group : fuseOptions) {
            for (String raw : group.split(",")) {
                String opt = raw.trim();
                if (opt.isEmpty() || FstabOptions.isFuse(opt)) {
                    continue;
                }
                int eq = opt.indexOf('=');
                String name = eq < 0 ? opt : opt.substring(0, eq);
                boolean ours = spec != null && spec.findOption("--" + name) != null;
                throw new UserError("-o " + opt + ": not a FUSE option" + (ours
                        ? "; on the command line it is --" + name + (eq < 0 ? "" : " " + opt.substring(eq + 1))
                        + " (the -o form is for fstab and mount -t fuse.torfs)" : ""));
            }
        }
    }

    /** Several sources, or a watch folder: one process serves them all ({@link LibraryMount}). */
    private int mountMany(List<String> sources) throws Exception {
        Path mnt = mountPoint.toAbsolutePath().normalize();
        Path root = (dataDir != null ? dataDir : MountOptions.cacheRoot()).toAbsolutePath().normalize();
        List<String> absolute = new ArrayList<>();
        for (String s : sources) {
            absolute.add(TorrentSource.isMagnet(s) || TorrentUrl.isUrl(s) ? s : Path.of(s).toAbsolutePath().toString());
        }
        outsideTheMount("--data", root, mnt);
        if (watchDir != null) {
            outsideTheMount("--watch", watchDir.toAbsolutePath().normalize(), mnt);
        }
        long cap = cacheSize == null ? 0 : CacheSize.parse(cacheSize, null); // one cap for all its torrents
        MountOptions opts = options(null, mnt, root, null, cap);
        SourceFactories.network(opts).settings();
        if (cap > 0) {
            CacheSize.checkHolePunching(root);
        }
        try {
            FuseMount.check(mnt);
        } catch (MountException e) {
            throw new UserError(e.getMessage(), e);
        }
        Path watch = watchDir == null ? null : watchDir.toAbsolutePath().normalize();
        if (watch != null && !Files.isDirectory(watch)) {
            throw new UserError(watchDir + ": no such directory");
        }
        java.net.InetSocketAddress webAddress = web == null ? null : WebAddress.parse(web);
        if (foreground) {
            return LibraryMount.run(absolute, watch, webAddress, opts, System.out, null);
        }
        if (DetachedMount.requested()) {
            return LibraryMount.run(absolute, watch, webAddress, opts, System.out, () -> DetachedMount.ready(
                    LibraryMount.stateDir(root, mnt).resolve(MountDaemon.LOG_FILE)));
        }
        throw new UserError("several torrents or --watch in the background need the torfs launcher"
                + " (scripts/torfs); or run in the foreground with -f");
    }

    /** The options of one mount; {@code cap} is the piece cache's size in bytes, 0 for none. */
    private MountOptions options(Path sourcePath, Path mnt, Path data, String magnet, long cap) {
        List<String> fuseOpts = new ArrayList<>();
        for (String o : fuseOptions) {
            fuseOpts.addAll(Arrays.stream(o.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
        }
        long window = Sizes.parse("--readahead", readahead);
        if (cap > 0) {
            window = Math.min(window, CacheSize.readaheadCap(cap)); // never a window the cache cannot hold
        }
        return new MountOptions(sourcePath, mnt, data, peers, bind, port, Sizes.parse("--max-up", maxUp),
                Sizes.parse("--max-down", maxDown), Duration.ofSeconds(readTimeoutSeconds),
                window, lazy || cap > 0, fuseOpts, magnet,
                dhtBootstrap, noDht, Duration.ofSeconds(metadataTimeoutSeconds),
                DownloadCommand.NetworkOptions.transportMode(transport),
                DownloadCommand.NetworkOptions.encryptionMode(encryption), cap);
    }
}
