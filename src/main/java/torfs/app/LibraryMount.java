package torfs.app;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import torfs.control.ControlApi;
import torfs.control.ControlException;
import torfs.control.ControlServer;
import torfs.fuse.FuseMount;
import torfs.fuse.MountException;
import torfs.fuse.TorrentFs;
import torfs.fuse.TorrentSet;
import torfs.metainfo.MagnetLink;
import torfs.metainfo.MetainfoException;
import torfs.metainfo.MetainfoParser;
import torfs.metainfo.Torrent;
import torfs.session.Client;

/**
 * A mount of many torrents ({@code torfs mount SOURCE... MNT}, {@code torfs mount --watch DIR
 * MNT}): one process, one {@link Client} (one port, one DHT node, limits shared by all), one
 * FUSE tree whose top level grows and shrinks, and the control API on a unix socket. Its own
 * files (log, pid, socket) are in {@code ROOT/mounts/<key of MNT>/}; each torrent's data in
 * {@code ROOT/<info-hash>/}. Runs until unmounted or signalled, as {@link ForegroundMount}.
 */
final class LibraryMount {
    private static final System.Logger LOG = System.getLogger(LibraryMount.class.getName());
    static final String SOCKET = "control.sock";
    static final String WEB_TOKEN = "web.token";
    private static final long STOP_TIMEOUT_SECONDS = 60;

    private LibraryMount() {
    }

    /**
     * The directory of a mount's own files: {@code ROOT/mounts/<16 hex digits of SHA-1(MNT)>},
     * under ROOT's {@link torfs.storage.StateLocation} when ROOT cannot be written.
     */
    static Path stateDir(Path root, Path mnt) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-1").digest(mnt.toString().getBytes(StandardCharsets.UTF_8));
            return torfs.storage.StateLocation.of(root).resolve("mounts").resolve(HexFormat.of().formatHex(h, 0, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A source given on the command line, parsed before anything is mounted. */
    private record Parsed(Torrent torrent, MagnetLink magnet) {
    }

    static int run(List<String> sources, Path watchDir, InetSocketAddress web, MountOptions opts, PrintStream out,
                   Runnable onReady)
            throws IOException {
        FuseMount.warmUp(); // libfuse and jnr load while the sources parse and the client binds
        List<Parsed> parsed = new ArrayList<>();
        for (String s : sources) {
            Parsed one = parse(s); // bad input: one line, exit 2, nothing mounted
            if (one.torrent() != null && opts.cacheSize() > 0) {
                CacheSize.checkPieces(opts.cacheSize(), one.torrent(), s); // the largest piece decides
            }
            parsed.add(one);
        }
        if (watchDir != null && !Files.isDirectory(watchDir)) {
            throw new UserError(watchDir + ": no such directory");
        }
        Path root = opts.dataDir();
        torfs.storage.StateLocation.create(root);
        Path state = stateDir(root, opts.mountPoint());
        Files.createDirectories(state);
        Path pidFile = state.resolve(ForegroundMount.PID_FILE);
        Client client = Client.start(SourceFactories.clientSettings(opts)); // port in use: one line
        client.checkInBackground(opts.cacheSize() <= 0); // a capped cache counts what is on disk first
        TorrentSet set = new TorrentSet();
        MountedLibrary library = new MountedLibrary(client, set, root, opts);
        FuseMount[] mounted = new FuseMount[1];
        ControlServer[] control = new ControlServer[2];
        WatchFolder[] watch = new WatchFolder[1];
        Runnable stop = new StopOnce(STOP_TIMEOUT_SECONDS, () -> {
            if (watch[0] != null) {
                watch[0].close();
            }
            if (mounted[0] != null) {
                mounted[0].unmount();
            }
            for (ControlServer c : control) {
                if (c != null) {
                    c.close();
                }
            }
            library.close();
            client.close();
            Files.deleteIfExists(pidFile);
        });
        Thread hook = new Thread(stop, "torfs-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
        try {
            TorrentFs fs = newFs(set, opts.cacheSize() > 0);
            FuseMount.mount(fs, opts.mountPoint(), opts.fuseOptions(), m -> mounted[0] = m);
            try {
                control[0] = ControlServer.start(state.resolve(SOCKET), new ControlApi(library));
                fs.setControlSocket(control[0].socket().toString());
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "no control socket: " + e.getMessage());
            }
            if (web != null) {
                control[1] = startWeb(web, new ControlApi(library), state);
            }
            for (Parsed p : parsed) {
                try {
                    if (p.torrent() != null) {
                        library.addTorrent(p.torrent());
                    } else {
                        library.addMagnet(p.magnet());
                    }
                } catch (ControlException e) {
                    LOG.log(System.Logger.Level.WARNING, e.getMessage()); // the same torrent twice
                }
            }
            if (watchDir != null) {
                watch[0] = WatchFolder.start(watchDir, library);
            }
        } catch (MountException e) {
            stop.run();
            removeHook(hook);
            throw new UserError(e.getMessage(), e);
        } catch (IOException | RuntimeException | Error e) {
            stop.run();
            removeHook(hook);
            throw e;
        }
        if (onReady != null) {
            onReady.run();
        }
        library.logChanges(); // from now on (the first trees are up), one log line per add and remove
        mounted[0].exited().handle((v, e) -> null).join(); // the mount's lifetime
        stop.run();
        removeHook(hook);
        if (onReady == null) {
            out.println("unmounted " + opts.mountPoint());
            out.flush();
        } else {
            LOG.log(System.Logger.Level.INFO, "unmounted " + opts.mountPoint());
        }
        return ExitCodes.OK;
    }

    /**
     * The web page: on loopback open to whoever can reach it (as the unix socket is to its
     * owner); anywhere else only with a token, fresh each start, kept in {@code STATE/web.token}
     * readable by the owner alone.
     */
    private static ControlServer startWeb(InetSocketAddress web, ControlApi api, Path state) throws IOException {
        String token = null;
        if (!web.getAddress().isLoopbackAddress()) {
            byte[] b = new byte[16];
            new SecureRandom().nextBytes(b);
            token = HexFormat.of().formatHex(b);
            Path file = state.resolve(WEB_TOKEN);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, token + "\n");
        }
        ControlServer s;
        try {
            s = ControlServer.startWeb(web, api, token);
        } catch (IOException e) {
            throw new UserError("--web " + web.getHostString() + ":" + web.getPort() + ": " + e.getMessage(), e);
        }
        LOG.log(System.Logger.Level.INFO, "status page at http://" + web.getHostString() + ":" + s.port() + "/"
                + (token == null ? "" : "?token=<" + state.resolve(WEB_TOKEN) + ">"));
        return s;
    }

    private static Parsed parse(String source) throws IOException {
        try {
            if (TorrentSource.isMagnet(source)) {
                return new Parsed(null, MagnetLink.parse(source));
            }
            if (TorrentUrl.isUrl(source)) {
                return new Parsed(TorrentUrl.load(source).torrent(), null);
            }
            return new Parsed(MetainfoParser.parse(TorrentSource.file(source)), null);
        } catch (MetainfoException e) {
            throw new UserError(source + ": " + e.getMessage(), e);
        }
    }

    private static TorrentFs newFs(TorrentSet set, boolean capped) {
        try {
            return new TorrentFs(set, true, capped);
        } catch (LinkageError | IllegalStateException e) {
            throw new UserError("cannot load libfuse.so.2 (install libfuse2): " + e.getMessage(), e);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // SIGINT/SIGTERM: the hook is doing the same work
        }
    }
}
