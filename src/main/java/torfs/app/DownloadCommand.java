package torfs.app;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import torfs.log.StartTrace;
import torfs.metainfo.Torrent;
import torfs.session.Client;
import torfs.dht.DhtSettings;
import torfs.session.ClientSettings;
import torfs.transport.mse.Encryption;
import torfs.session.SessionStats;
import torfs.session.TorrentSession;
import torfs.transport.TransportMode;

/**
 * {@code torfs download FILE.torrent --data DIR}: downloads until every piece is verified,
 * resuming from what is already on disk; seeds to its peers meanwhile.
 */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = {"Download a torrent's data into DIR (resuming what is there).",
                "Exit 0 when every piece is verified."})
public final class DownloadCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SOURCE", description = "A .torrent file, an http(s) URL of one or a magnet link.")
    String source;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "Directory to hold the torrent's file or top directory.")
    Path dataDir;

    @Mixin
    NetworkOptions net;

    /** Options shared by the commands that talk to peers. */
    public static final class NetworkOptions {
        @Option(names = "--port", paramLabel = "P", description = "Listening port (default: 6881; 0 = any free).")
        Integer port;

        /** The port when --port is not given: 6881, or any free one for a command that only asks. */
        int defaultPort = ClientSettings.DEFAULT_PORT;

        @Option(names = "--bind", paramLabel = "ADDR", description = "Local address to listen on and connect from.")
        String bind;

        @Option(names = "--peer", paramLabel = "HOST:PORT",
                description = "A peer to connect to, besides the trackers' (repeatable).")
        List<String> peers = new ArrayList<>();

        @Option(names = "--dht-bootstrap", paramLabel = "HOST:PORT",
                description = {"Join the DHT through this node instead of the public routers (repeatable).",
                        "The routing table is kept in ~/.cache/torfs/dht.dat for the next start."})
        List<String> dhtBootstrap = new ArrayList<>();

        @Option(names = "--no-dht", description = "Find peers through trackers and peers only, not the DHT.")
        boolean noDht;

        @Option(names = "--transport", paramLabel = "tcp|utp|both",
                description = "Peer connections over TCP, uTP (BEP 29) or both: TCP first, uTP when it fails (default: both).")
        String transport = "both";

        @Option(names = "--metadata-timeout", paramLabel = "SECONDS",
                description = "A magnet's metadata must arrive within this time (default: 120).")
        long metadataTimeoutSeconds = MountOptions.DEFAULT_METADATA_TIMEOUT.toSeconds();

        @Option(names = "--max-up", paramLabel = "BYTES/S", converter = Sizes.Converter.class,
                description = "Upload limit, e.g. 500K (default: none).")
        long maxUp;

        @Option(names = "--max-down", paramLabel = "BYTES/S", converter = Sizes.Converter.class,
                description = "Download limit, e.g. 10M (default: none).")
        long maxDown;

        static TransportMode transportMode(String word) {
            return switch (word == null ? "" : word.toLowerCase(java.util.Locale.ROOT)) {
                case "tcp" -> TransportMode.TCP;
                case "utp" -> TransportMode.UTP;
                case "both" -> TransportMode.BOTH;
                default -> throw new UserError("--transport must be tcp, utp or both");
            };
        }

        @Option(names = "--encryption", paramLabel = "MODE",
                description = {"Protocol encryption (MSE/PE): prefer (RC4 when the peer can, else plaintext),",
                        "require (RC4 only, both ways) or disable (plaintext only). Default: prefer."})
        String encryption = "prefer";

        /** --encryption as a mode; a word other than the three is refused. */
        Encryption encryption() {
            return encryptionMode(encryption);
        }

        static Encryption encryptionMode(String word) {
            return switch (word == null ? "" : word.toLowerCase(Locale.ROOT)) {
                case "prefer" -> Encryption.PREFER;
                case "require" -> Encryption.REQUIRE;
                case "disable" -> Encryption.DISABLE;
                default -> throw new UserError("--encryption must be prefer, require or disable, not " + word);
            };
        }


        ClientSettings settings() {
            int port = this.port != null ? this.port : defaultPort;
            if (port < 0 || port > 65535) {
                throw new UserError("--port must be between 0 and 65535");
            }
            if (metadataTimeoutSeconds <= 0) {
                throw new UserError("--metadata-timeout must be positive");
            }
            if (maxUp < 0 || maxDown < 0) {
                throw new UserError("--max-up and --max-down must not be negative");
            }
            ClientSettings s = ClientSettings.defaults().withPort(port).withLimits(maxUp, maxDown)
                    .withClientName("TorFS " + Version.VERSION);
            s = s.withDht(dhtConfig()).withTransport(transportMode(transport)).withEncryption(encryption());
            if (bind != null) {
                try {
                    s = s.withBind(InetAddress.getByName(bind));
                } catch (UnknownHostException e) {
                    throw new UserError("--bind " + bind + ": unknown address");
                }
            }
            return s;
        }

        /**
         * The DHT to run: the public routers by default, the given nodes with --dht-bootstrap,
         * none with --no-dht, and none by default under {@link LoopbackOnly}.
         */
        DhtSettings dhtConfig() {
            if (noDht) {
                if (!dhtBootstrap.isEmpty()) {
                    throw new UserError("--no-dht and --dht-bootstrap exclude each other");
                }
                return null;
            }
            for (String node : dhtBootstrap) {
                LoopbackOnly.check("--dht-bootstrap", node, parseHostPort("--dht-bootstrap", node).getAddress());
            }
            if (dhtBootstrap.isEmpty() && LoopbackOnly.active()) {
                return null;
            }
            return DhtSettings.defaults()
                    .withBootstrap(dhtBootstrap.isEmpty() ? DhtSettings.PUBLIC_ROUTERS : dhtBootstrap)
                    .withLoopbackOnly(LoopbackOnly.active())
                    .withStateFile(MountOptions.cacheRoot().resolve("dht.dat"));
        }

        Duration metadataTimeout() {
            return Duration.ofSeconds(metadataTimeoutSeconds);
        }

        List<InetSocketAddress> peerAddresses() {
            List<InetSocketAddress> out = new ArrayList<>();
            for (String p : peers) {
                out.add(parsePeer(p));
            }
            return out;
        }

        static InetSocketAddress parsePeer(String spec) {
            InetSocketAddress a = parseHostPort("--peer", spec);
            LoopbackOnly.check("--peer", spec, a.getAddress());
            return a;
        }

        /** HOST:PORT or [V6]:PORT, resolved; a bad one is a one-line error naming the option. */
        static InetSocketAddress parseHostPort(String option, String spec) {
            int colon = spec.lastIndexOf(':');
            if (colon <= 0 || colon == spec.length() - 1) {
                throw new UserError(option + " " + spec + ": expected HOST:PORT");
            }
            String host = spec.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(spec.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new UserError(option + " " + spec + ": bad port");
            }
            if (port < 1 || port > 65535) {
                throw new UserError(option + " " + spec + ": bad port");
            }
            try {
                return new InetSocketAddress(InetAddress.getByName(host), port);
            } catch (UnknownHostException e) {
                throw new UserError(option + " " + spec + ": unknown host");
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        TorrentSource src = TorrentSource.of(source);
        StartTrace.mark("torrent parsed");
        boolean created = !Files.isDirectory(dataDir);
        Files.createDirectories(dataDir);
        try {
            return download(src);
        } finally {
            if (created) {
                removeIfEmpty(dataDir); // a magnet nobody answered, a signal before any data: no trace left
            }
        }
    }

    private int download(TorrentSource src) throws Exception {
        ClientSettings settings = net.settings();
        List<InetSocketAddress> peers = net.peerAddresses();
        PrintStream progress = System.console() != null ? System.err : null;
        CountDownLatch interrupted = new CountDownLatch(1);
        AtomicInteger signal = new AtomicInteger(2); // SIGINT's number until a signal says otherwise
        long start = System.nanoTime();
        Thread main = Thread.currentThread();
        try (Client client = Client.start(settings)) {
            StartTrace.mark("port bound");
            // a signal also interrupts a long first check of the data on disk
            Signals.onInterrupt(number -> {
                signal.set(number);
                main.interrupt();
                interrupted.countDown();
            }, client::close);
            TorrentSession session = null;
            try {
                Torrent torrent = src.torrent(client, peers, net.metadataTimeout(), dataDir);
                try (CheckProgressLine checking = CheckProgressLine.forTerminal()) {
                    session = client.add(torrent, dataDir, checking);
                }
                // dialled at once, ahead of the first announce's work on the loop where they can be
                session.addPeers(peers);
                session.addPeers(src.metadataPeers());
                String shortfall = SpaceCheck.shortfall(session);
                if (shortfall != null) {
                    session.stop().get(60, TimeUnit.SECONDS);
                    throw new IOException(shortfall); // one line, exit 1: it could never finish
                }
                CompletableFuture<Void> done = src.selectedFiles().isEmpty() ? session.whenComplete()
                        : FileSelection.apply(session, src.selectedFiles());
                // woken by the last verified piece itself, not by the next tick of the progress line
                while (!awaitComplete(done, interrupted)) {
                    if (session.isWritePaused()) {
                        // the session said so in one line; what is verified stays for a rerun
                        clearLine(progress);
                        session.stop().get(60, TimeUnit.SECONDS);
                        return ExitCodes.FAILURE;
                    }
                    if (progress != null) {
                        progress.print("\r\033[K" + progressLine(session.stats()));
                        progress.flush();
                    }
                }
                clearLine(progress);
                StartTrace.mark("complete");
                session.stop().get(60, TimeUnit.SECONDS);
                StartTrace.mark("stopped");
            } catch (InterruptedException e) {
                clearLine(progress);
                System.err.println("torfs: interrupted"
                        + (session == null ? "" : " at " + percent(session.stats())) + "; run again to resume");
                return ExitCodes.interrupted(signal.get());
            }
            SessionStats s = session.stats();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.err.println(String.format(Locale.ROOT,
                    "torfs: complete; downloaded %d bytes in %.1f s (%s), %d wasted, %d hash failures",
                    s.downloaded(), seconds, rate((long) (s.downloaded() / Math.max(seconds, 0.001))),
                    s.wasted(), s.hashFailures()));
        }
        StartTrace.mark("client closed");
        return ExitCodes.OK;
    }

    private static void removeIfEmpty(Path dir) {
        try (var entries = Files.newDirectoryStream(dir)) {
            if (!entries.iterator().hasNext()) {
                Files.delete(dir);
            }
        } catch (IOException e) {
            // left as it is: an empty directory is all it costs
        }
    }

    /** True once every piece is verified; false after a second without; throws on a signal. */
    private static boolean awaitComplete(CompletableFuture<Void> done, CountDownLatch interrupted)
            throws InterruptedException, ExecutionException {
        if (interrupted.getCount() == 0) {
            throw new InterruptedException();
        }
        try {
            done.get(1, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }

    private static void clearLine(PrintStream progress) {
        if (progress != null) {
            progress.print("\r\033[K");
            progress.flush();
        }
    }

    static String percent(SessionStats s) {
        return String.format(Locale.ROOT, "%.1f%%", s.pieces() == 0 ? 100.0 : 100.0 * s.verified() / s.pieces());
    }

    /** {@code 45.2%  12.3 MB/s down  0.0 MB/s up  3 peers  ETA 1m20s} */
    static String progressLine(SessionStats s) {
        String eta = s.downloadRate() > 0 ? duration(s.left() / s.downloadRate()) : "--";
        return String.format(Locale.ROOT, "%s  %s down  %s up  %d peers  ETA %s", percent(s),
                rate(s.downloadRate()), rate(s.uploadRate()), s.peers(), eta);
    }

    static String rate(long bytesPerSecond) {
        return String.format(Locale.ROOT, "%.1f MB/s", bytesPerSecond / 1e6);
    }

    static String duration(long seconds) {
        if (seconds >= 3600) {
            return seconds / 3600 + "h" + (seconds % 3600) / 60 + "m";
        }
        return seconds >= 60 ? seconds / 60 + "m" + seconds % 60 + "s" : seconds + "s";
    }
}
