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
import torfs.metainfo.Torrent;
import torfs.stream.ReaderConfig;

/** {@code torfs mount SOURCE MNT}: the torrent's files appear under MNT and download as read. */
@Command(name = "mount", mixinStandardHelpOptions = true,
        description = {"Mount a torrent read-only; files download as they are read.",
                "Returns once the mount is ready; the filesystem runs in the background until",
                "`torfs unmount MNT` (or fusermount -u MNT). With -f it stays in the foreground."})
public final class MountCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SOURCE", description = "A .torrent file.")
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

    @Option(names = {"-f", "--foreground"}, description = "Stay in the foreground (a status line on a terminal).")
    boolean foreground;

    @Option(names = "-o", paramLabel = "OPTIONS", description = "FUSE mount options, e.g. allow_other (repeatable).")
    List<String> fuseOptions = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (source.startsWith("magnet:")) {
            throw new UserError("magnet links are not supported yet");
        }
        if (readTimeoutSeconds <= 0) {
            throw new UserError("--read-timeout must be positive");
        }
        Path sourcePath = Path.of(source).toAbsolutePath();
        if (!Files.isRegularFile(sourcePath)) {
            throw new UserError(source + ": no such file");
        }
        SourceFactory factory = SourceFactory.current();
        Torrent torrent = factory.load(sourcePath);
        Path mnt = mountPoint.toAbsolutePath().normalize();
        Path data = (dataDir != null ? dataDir : MountOptions.defaultDataDir(torrent.infoHash()))
                .toAbsolutePath().normalize();
        List<String> fuseOpts = new ArrayList<>();
        for (String o : fuseOptions) {
            fuseOpts.addAll(Arrays.stream(o.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
        }
        MountOptions opts = new MountOptions(sourcePath, mnt, data, peers, bind, port, Sizes.parse("--max-up", maxUp),
                Sizes.parse("--max-down", maxDown), Duration.ofSeconds(readTimeoutSeconds),
                Sizes.parse("--readahead", readahead), lazy, fuseOpts);
        try {
            FuseMount.check(mnt);
        } catch (MountException e) {
            throw new UserError(e.getMessage(), e);
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
