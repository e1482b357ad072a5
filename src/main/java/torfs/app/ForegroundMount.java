package torfs.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import torfs.fuse.FuseMount;
import torfs.fuse.MountException;
import torfs.fuse.TorrentFs;
import torfs.geometry.Bitfield;
import torfs.metainfo.Torrent;
import torfs.session.PieceSource;
import torfs.stream.ReaderConfig;
import torfs.stream.TorrentReader;

/**
 * Runs a mount in this process until it is unmounted (fusermount -u, `torfs unmount`) or the
 * process gets SIGINT/SIGTERM; either way the reader is closed first (blocked reads get EIO),
 * the mount goes away and the source is closed (trackers stopped, resume saved).
 */
final class ForegroundMount {
    static final String PID_FILE = "torfs.pid";

    private ForegroundMount() {
    }

    static int run(SourceFactory factory, Torrent torrent, MountOptions opts, PrintStream out)
            throws IOException {
        Files.createDirectories(opts.dataDir());
        PieceSource source = factory.open(torrent, opts);
        TorrentReader reader = new TorrentReader(source, new ReaderConfig(opts.readTimeout(), opts.readahead(),
                ReaderConfig.DEFAULT_CACHE_BYTES));
        FuseMount mount;
        try {
            TorrentFs fs = newFs(reader);
            mount = FuseMount.mount(fs, opts.mountPoint(), opts.fuseOptions());
        } catch (MountException e) {
            reader.close();
            source.close();
            throw new UserError(e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            reader.close();
            source.close();
            throw e;
        }
        Path pidFile = opts.dataDir().resolve(PID_FILE);
        Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
        AtomicBoolean stopped = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopped.compareAndSet(false, true)) {
                mount.unmount();
                source.close();
                try {
                    Files.deleteIfExists(pidFile);
                } catch (IOException ignored) {
                    // a stale pid file is harmless
                }
            }
        };
        Thread hook = new Thread(stop, "torfs-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (System.console() != null) {
            startStatusLine(source, opts.mountPoint(), System.err);
        }
        mount.exited().handle((v, e) -> null).join(); // the mount's lifetime; unmount ends it
        stop.run();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // SIGINT/SIGTERM: the hook is doing the same work
        }
        if (System.console() != null) {
            System.err.print("\r\033[K");
        }
        out.println("unmounted " + opts.mountPoint());
        out.flush();
        return ExitCodes.OK;
    }

    private static TorrentFs newFs(TorrentReader reader) {
        try {
            return new TorrentFs(reader);
        } catch (LinkageError | IllegalStateException e) {
            throw new UserError("cannot load libfuse.so.2 (install libfuse2): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (String.valueOf(e.getMessage()).contains("fuse")) {
                throw new UserError("cannot load libfuse.so.2 (install libfuse2)", e);
            }
            throw e;
        }
    }

    private static void startStatusLine(PieceSource source, Path mnt, PrintStream err) {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                Bitfield have = source.verifiedSnapshot();
                int n = have.size();
                err.print("\r\033[K" + mnt + ": " + have.cardinality() + "/" + n + " pieces ("
                        + String.format(Locale.ROOT, "%.1f", n == 0 ? 100.0 : 100.0 * have.cardinality() / n)
                        + "%)");
                err.flush();
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "torfs-status");
        t.setDaemon(true);
        t.start();
    }
}
