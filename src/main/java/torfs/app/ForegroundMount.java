package torfs.app;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import torfs.control.ControlApi;
import torfs.control.ControlServer;
import torfs.fuse.FuseMount;
import torfs.fuse.MountException;
import torfs.fuse.TorrentFs;
import torfs.geometry.Bitfield;
import torfs.metainfo.Torrent;
import torfs.session.PieceSource;
import torfs.storage.DataLayout;
import torfs.stream.DeferredPieceSource;
import torfs.stream.ReaderConfig;
import torfs.stream.TorrentReader;

/**
 * Runs a mount in this process until it is unmounted (fusermount -u, `torfs unmount`) or the
 * process gets SIGINT/SIGTERM; either way the reader is closed first (blocked reads get EIO),
 * the mount goes away and the source is closed (trackers stopped, resume saved).
 */
final class ForegroundMount {
    private static final System.Logger LOG = System.getLogger(ForegroundMount.class.getName());
    static final String PID_FILE = "torfs.pid";
    private static final long STOP_TIMEOUT_SECONDS = 30;

    private ForegroundMount() {
    }

    /**
     * @param onReady run once the tree is mounted and the session runs (tells whoever started
     *                a background mount that it may return); null in the foreground
     */
    static int run(SourceFactory factory, Torrent torrent, MountOptions opts, PrintStream out, Runnable onReady)
            throws IOException {
        Files.createDirectories(opts.dataDir());
        Path state = torfs.storage.StateLocation.create(opts.dataDir());
        // The session (port, data check, Netty) starts while libfuse loads and mounts: the tree
        // shows as soon as both are up, not after one then the other.
        DeferredPieceSource source = new DeferredPieceSource(torrent);
        // Completes once the session is listening: what the background parent waits for. The
        // data check that follows runs with the mount already usable (reads wait for it).
        CompletableFuture<Void> listening = new CompletableFuture<>();
        Path pidFile = state.resolve(PID_FILE);
        Thread starter = new Thread(() -> {
            try {
                source.started(factory.open(torrent, opts, () -> {
                    // the data's lock is ours by now: a mount refused for data in use leaves
                    // the holder's pid file alone
                    writePid(pidFile);
                    listening.complete(null);
                }));
                listening.complete(null);
            } catch (Throwable t) {
                listening.completeExceptionally(t);
                source.failed(t);
            }
        }, "torfs-session-start");
        starter.setDaemon(true);
        starter.start();
        TorrentReader reader = new TorrentReader(source, new ReaderConfig(opts.readTimeout(), opts.readahead(), opts.cacheSize() > 0));
        AtomicReference<FuseMount> mounted = new AtomicReference<>();
        AtomicReference<ControlServer> control = new AtomicReference<>();
        // runs once, by the main thread or the shutdown hook (StopOnce)
        Runnable stop = new StopOnce(STOP_TIMEOUT_SECONDS, () -> {
            ControlServer c = control.get();
            if (c != null) {
                c.close();
            }
            FuseMount m = mounted.get();
            if (m != null) {
                m.unmount();
            }
            reader.close();
            settle(starter, source);
            source.close();
            deletePid(pidFile);
        });
        // registered before mounting: a SIGTERM right after the mount appears must still
        // close the source
        Thread hook = new Thread(stop, "torfs-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        FuseMount mount;
        TorrentFs fs;
        try {
            fs = newFs(reader, opts.cacheSize() > 0);
            mount = FuseMount.mount(fs, opts.mountPoint(), opts.fuseOptions(), mounted::set);
        } catch (MountException e) {
            stop.run();
            removeHook(hook);
            throw new UserError(e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            stop.run();
            removeHook(hook);
            throw e;
        }
        try {
            awaitStart(listening);
        } catch (IOException | RuntimeException e) {
            stop.run();
            removeHook(hook);
            throw e;
        }
        // a failure after that (the data check) is logged and ends the mount: nothing stays
        // mounted that can never serve a byte
        AtomicReference<Throwable> lateFailure = new AtomicReference<>();
        source.whenStarted().whenComplete((ok, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof ExecutionException || failure instanceof java.util.concurrent.CompletionException
                        ? failure.getCause() : failure;
                lateFailure.set(cause);
                LOG.log(System.Logger.Level.WARNING, FailureHandler.describe(cause));
                mount.unmount();
            }
        });
        if (onReady != null) {
            onReady.run();
        }
        // after the ready line: a user waiting for the tree does not wait for this too
        SingleMountLibrary library = new SingleMountLibrary(torrent, source, reader, fs::openHandles, opts.dataDir());
        control.set(startControl(fs, library, state));
        if (System.console() != null) {
            startStatusLine(source, opts.mountPoint(), System.err);
        }
        mount.exited().handle((v, e) -> null).join(); // the mount's lifetime; unmount ends it
        stop.run();
        removeHook(hook);
        if (System.console() != null) {
            System.err.print("\r\033[K");
        }
        if (onReady == null) {
            out.println("unmounted " + opts.mountPoint());
            out.flush();
        } else {
            LOG.log(System.Logger.Level.INFO, "unmounted " + opts.mountPoint()); // a line of the log file
        }
        return lateFailure.get() == null ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    /** Our pid in DATA/torfs.pid, for scripts that end the mount's process (written before the ready line). */
    private static void writePid(Path pidFile) {
        try {
            Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the pid file if it is ours. */
    private static void deletePid(Path pidFile) throws IOException {
        try {
            if (Files.readString(pidFile).trim().equals(Long.toString(ProcessHandle.current().pid()))) {
                Files.deleteIfExists(pidFile);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // never written (the start failed first) or already gone
        }
    }

    /**
     * The control socket `torfs status` finds through the root's user.torfs.control xattr, in
     * the mount's state directory ({@link torfs.storage.StateLocation}); without it (a path too long for a
     * socket, no epoll) the mount goes on and says why in its log.
     */
    private static ControlServer startControl(TorrentFs fs, SingleMountLibrary library, Path stateDir) {
        try {
            Path state = stateDir.resolve(DataLayout.STATE_DIR);
            Files.createDirectories(state);
            ControlServer c = ControlServer.start(state.resolve(LibraryMount.SOCKET), new ControlApi(library));
            fs.setControlSocket(c.socket().toString());
            return c;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "no control socket: " + e.getMessage());
            return null;
        }
    }

    /** Waits until the session listens; a failure before (port in use) becomes this one's. */
    private static void awaitStart(CompletableFuture<Void> listening) throws IOException {
        try {
            listening.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while starting the session");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IOException(c);
        }
    }

    /** A stop during the start interrupts it (the data check) and waits, bounded, for it to end. */
    private static void settle(Thread starter, DeferredPieceSource source) {
        if (source.whenStarted().isDone()) {
            return;
        }
        starter.interrupt();
        try {
            starter.join(TimeUnit.SECONDS.toMillis(STOP_TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // SIGINT/SIGTERM: the hook is doing the same work
        }
    }

    private static TorrentFs newFs(TorrentReader reader, boolean capped) {
        try {
            return new TorrentFs(reader, capped);
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
