package torfs.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import torfs.metainfo.Torrent;
import torfs.transport.TransportMode;
import torfs.transport.mse.Encryption;

/**
 * Entry point of the background mount process that `torfs mount` starts: it gets options the
 * parent already checked and resolved, as {@code --name value} pairs written by
 * {@link #args}, so it skips picocli and its start-up cost. Failures end the same way as
 * everywhere else: one line {@code torfs: <what is wrong>} and exit 2 (bad input) or 1.
 */
public final class MountChild {
    private MountChild() {
    }

    public static void main(String[] args) {
        torfs.log.Logging.install(Boolean.getBoolean("torfs.debug"));
        torfs.log.Logging.toLogFile(); // MountDaemon points our stdout and stderr at the log file
        torfs.tracker.NettyDefaults.apply();
        OutOfMemory.reportOnAnyThread();
        int code;
        try {
            code = run(args);
        } catch (OutOfMemoryError e) {
            System.err.println("torfs: " + OutOfMemory.describe());
            code = ExitCodes.FAILURE;
        } catch (Exception e) {
            Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
            if (Boolean.getBoolean("torfs.debug")) {
                t.printStackTrace();
            }
            System.err.println("torfs: " + FailureHandler.describe(t));
            code = FailureHandler.isBadInput(t) ? ExitCodes.BAD_INPUT : ExitCodes.FAILURE;
        }
        System.out.flush();
        System.exit(code);
    }

    static int run(String[] args) throws Exception {
        Parsed p = parse(args);
        SourceFactory factory = SourceFactory.current();
        if (p.options().magnet() != null) {
            torfs.fuse.FuseMount.warmUp(); // while the metadata is fetched
        }
        Torrent torrent = factory.load(p.options());
        return ForegroundMount.run(factory, torrent, p.options(), System.out, () -> {
            try {
                Files.writeString(p.readyFile(), "ready\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    record Parsed(MountOptions options, Path readyFile) {
    }

    /** The child's command line for {@code o}; {@code readyFile} is created once it serves. */
    static List<String> args(MountOptions o, Path readyFile) {
        List<String> a = new ArrayList<>(List.of(
                "--source", o.source().toString(), "--mnt", o.mountPoint().toString(),
                "--data", o.dataDir().toString(), "--port", String.valueOf(o.port()),
                "--max-up", String.valueOf(o.maxUp()), "--max-down", String.valueOf(o.maxDown()),
                "--read-timeout-ms", String.valueOf(o.readTimeout().toMillis()),
                "--readahead", String.valueOf(o.readahead()), "--lazy", String.valueOf(o.lazy()),
                "--ready-file", readyFile.toString()));
        for (String peer : o.peers()) {
            a.addAll(List.of("--peer", peer));
        }
        if (o.bind() != null) {
            a.addAll(List.of("--bind", o.bind()));
        }
        if (o.magnet() != null) {
            a.addAll(List.of("--magnet", o.magnet()));
        }
        for (String node : o.dhtBootstrap()) {
            a.addAll(List.of("--dht-bootstrap", node));
        }
        a.addAll(List.of("--no-dht", String.valueOf(o.noDht()),
                "--metadata-timeout-ms", String.valueOf(o.metadataTimeout().toMillis()),
                "--transport", o.transport().name(),
                "--encryption", o.encryption().name(),
                "--cache-size", String.valueOf(o.cacheSize())));
        for (String f : o.fuseOptions()) {
            a.addAll(List.of("-o", f));
        }
        return a;
    }

    static Parsed parse(String[] args) {
        Path source = null;
        Path mnt = null;
        Path data = null;
        Path ready = null;
        String bind = null;
        int port = 0;
        long maxUp = 0;
        long maxDown = 0;
        long timeoutMs = 0;
        long readahead = 0;
        boolean lazy = false;
        List<String> peers = new ArrayList<>();
        List<String> fuse = new ArrayList<>();
        String magnet = null;
        List<String> dhtBootstrap = new ArrayList<>();
        boolean noDht = false;
        Duration metadataTimeout = MountOptions.DEFAULT_METADATA_TIMEOUT;
        TransportMode transport = TransportMode.BOTH;
        Encryption encryption = Encryption.PREFER;
        long cacheSize = 0;
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("mount child: odd argument list " + Arrays.toString(args));
        }
        for (int i = 0; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--source" -> source = Path.of(v);
                case "--mnt" -> mnt = Path.of(v);
                case "--data" -> data = Path.of(v);
                case "--ready-file" -> ready = Path.of(v);
                case "--port" -> port = Integer.parseInt(v);
                case "--max-up" -> maxUp = Long.parseLong(v);
                case "--max-down" -> maxDown = Long.parseLong(v);
                case "--read-timeout-ms" -> timeoutMs = Long.parseLong(v);
                case "--readahead" -> readahead = Long.parseLong(v);
                case "--lazy" -> lazy = Boolean.parseBoolean(v);
                case "--peer" -> peers.add(v);
                case "--bind" -> bind = v;
                case "-o" -> fuse.add(v);
                case "--magnet" -> magnet = v;
                case "--dht-bootstrap" -> dhtBootstrap.add(v);
                case "--no-dht" -> noDht = Boolean.parseBoolean(v);
                case "--metadata-timeout-ms" -> metadataTimeout = Duration.ofMillis(Long.parseLong(v));
                case "--transport" -> transport = TransportMode.valueOf(v);
                case "--encryption" -> encryption = Encryption.valueOf(v);
                case "--cache-size" -> cacheSize = Long.parseLong(v);
                default -> throw new IllegalArgumentException("mount child: unknown argument " + args[i]);
            }
        }
        if (source == null || mnt == null || data == null || ready == null) {
            throw new IllegalArgumentException("mount child: --source, --mnt, --data and --ready-file are required");
        }
        return new Parsed(new MountOptions(source, mnt, data, peers, bind, port, maxUp, maxDown,
                Duration.ofMillis(timeoutMs), readahead, lazy, fuse, magnet, dhtBootstrap, noDht, metadataTimeout,
                transport, encryption, cacheSize), ready);
    }
}
