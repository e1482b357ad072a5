package torfs.fuse;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One live FUSE mount of a {@link TorrentFs}: {@link FuseLoop} serves it from its own thread;
 * the mount is ready once libfuse has set up and the kernel lists it. A watcher notices when the mount goes away behind
 * our back (fusermount -u -z by the user or `torfs unmount`) and closes the reader, so blocked
 * reads end with EIO and the loop can finish. Unmount never waits forever.
 */
public final class FuseMount implements AutoCloseable {
    /**
     * Options always given to libfuse; user -o options come after them. The tree never changes,
     * so the kernel may keep names, and the absence of names, for a day; attributes only for a
     * second, since a file's st_blocks grows as its pieces verify (libfuse 2's high-level API
     * has one attribute timeout for files and directories alike).
     */
    public static final String BASE_OPTIONS = "ro,fsname=torfs,subtype=torfs,"
            + "entry_timeout=86400,negative_timeout=86400,attr_timeout=1";
    /**
     * The kernel keeps a file's pages across opens (the data never changes). Not for a capped
     * cache ({@link TorrentFs#capped()}): there every open drops them, so the reads of a new open
     * reach the cache, whose eviction order and run prediction must see what is read (a range
     * read again, served from pages kept, looked like a run starting mid-range, and its
     * readahead fetched evicted pieces nobody read: bench-cache's waste 9-11 MiB against 4).
     */
    static final String PAGE_CACHE_OPTION = ",kernel_cache";
    /**
     * A mount whose torrents come and go: the kernel is told to forget a top-level name when its
     * torrent is added or removed ({@code FuseLoop.forgetTopName}); the missing names it caches
     * still expire within a second, in case that notice failed.
     */
    static final String DYNAMIC_OPTIONS = BASE_OPTIONS.replace("negative_timeout=86400", "negative_timeout=1");
    private static final System.Logger LOG = System.getLogger(FuseMount.class.getName());
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);

    private final TorrentFs fs;
    private final Path mountPoint;
    private final CompletableFuture<Void> exited = new CompletableFuture<>();
    /** Done once libfuse has mounted and set up (the mount table alone does not say it worked). */
    private final CompletableFuture<Void> setUp = new CompletableFuture<>();

    private FuseMount(TorrentFs fs, Path mountPoint) {
        this.fs = fs;
        this.mountPoint = mountPoint;
    }

    /**
     * Checks the mount point, mounts and returns once the tree is visible.
     *
     * @param userOptions extra -o options (e.g. allow_other), comma-separated entries allowed
     * @throws MountException one-line reasons: missing, not a directory, not empty, already
     *                        mounted, no /dev/fuse, libfuse failure; nothing is left mounted
     */
    /**
     * Loads libfuse and jnr's runtime on a thread of its own (~0.25 s on a cold JVM), for a
     * caller that has other work before it can build its {@link TorrentFs}: a magnet mount
     * fetching its metadata. A failure here is left for the real mount to report.
     */
    public static void warmUp() {
        Thread t = new Thread(() -> {
            try {
                new ru.serce.jnrfuse.FuseStubFS();
            } catch (RuntimeException | LinkageError e) {
                // libfuse missing: the mount itself says so in one line
            }
        }, "torfs-fuse-warm-up");
        t.setDaemon(true);
        t.start();
    }

    public static FuseMount mount(TorrentFs fs, Path mountPoint, List<String> userOptions) throws MountException {
        return mount(fs, mountPoint, userOptions, m -> { });
    }

    /**
     * As above; {@code publish} gets the mount before it starts, so a stop that comes while it
     * is still mounting (a SIGTERM right after the mount point shows) can unmount it.
     */
    public static FuseMount mount(TorrentFs fs, Path mountPoint, List<String> userOptions,
            Consumer<FuseMount> publish) throws MountException {
        check(mountPoint);
        FuseMount m = new FuseMount(fs, mountPoint.toAbsolutePath().normalize());
        publish.accept(m);
        m.start(userOptions);
        return m;
    }

    /** The checks done before mounting; also used by the mount command before it forks. */
    public static void check(Path mountPoint) throws MountException {
        MountTable.clearIfStale(mountPoint);
        if (!Files.exists(Path.of("/dev/fuse"))) {
            throw new MountException("/dev/fuse is missing: FUSE is not available on this system");
        }
        if (!Files.exists(mountPoint)) {
            throw new MountException(mountPoint + ": mount point does not exist");
        }
        if (!Files.isDirectory(mountPoint)) {
            throw new MountException(mountPoint + ": mount point is not a directory");
        }
        if (MountTable.isMounted(mountPoint)) {
            throw new MountException(mountPoint + ": something is already mounted there");
        }
        try (DirectoryStream<Path> d = Files.newDirectoryStream(mountPoint)) {
            if (d.iterator().hasNext()) {
                throw new MountException(mountPoint + ": mount point is not empty");
            }
        } catch (IOException e) {
            if (e instanceof MountException) {
                throw (MountException) e;
            }
            throw new MountException(mountPoint + ": cannot read mount point: " + e.getMessage(), e);
        }
    }

    private void start(List<String> userOptions) throws MountException {
        StringBuilder opts = new StringBuilder(fs.isDynamic() ? DYNAMIC_OPTIONS : BASE_OPTIONS);
        if (!fs.capped()) {
            opts.append(PAGE_CACHE_OPTION);
        }
        for (String o : userOptions) {
            if (!o.isBlank()) {
                opts.append(',').append(o.trim());
            }
        }
        Thread loop = new Thread(() -> runLoop(opts.toString()), "torfs-fuse-loop");
        loop.setDaemon(true);
        loop.start();
        long end = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!(setUp.isDone() && MountTable.isMounted(mountPoint))) {
            if (exited.isDone()) {
                if (!exited.isCompletedExceptionally()) {
                    return; // mounted and already unmounted again between two polls
                }
                throw new MountException(mountPoint + ": mount failed: " + exitReason());
            }
            if (System.nanoTime() > end) {
                unmount();
                throw new MountException(mountPoint + ": mount did not become ready in time");
            }
            sleep(20);
        }
        Thread watcher = new Thread(this::watch, "torfs-mount-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private void runLoop(String options) {
        try {
            FuseLoop.run(fs, mountPoint, options, () -> setUp.complete(null), fs::closeReaders);
            exited.complete(null);
        } catch (Throwable t) {
            exited.completeExceptionally(t);
        } finally {
            fs.closeReaders();
        }
    }

    private String exitReason() {
        try {
            exited.getNow(null);
            return "libfuse exited";
        } catch (Exception e) {
            Throwable t = e.getCause() != null ? e.getCause() : e;
            while (t.getCause() != null) {
                t = t.getCause();
            }
            return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        }
    }

    /** Polls mountinfo: a mount that vanished (lazy unmount) must release blocked reads. */
    private void watch() {
        while (!exited.isDone()) {
            if (!MountTable.isMounted(mountPoint)) {
                LOG.log(System.Logger.Level.DEBUG, "{0} is gone; closing the reader", mountPoint);
                fs.closeReaders();
                return;
            }
            sleep(250);
        }
    }

    public Path mountPoint() {
        return mountPoint;
    }

    public TorrentFs fs() {
        return fs;
    }

    /** Completes when the libfuse loop has ended (unmounted by anyone). */
    public CompletableFuture<Void> exited() {
        return exited;
    }

    /** Waits up to {@code timeout} for the loop to end; true when it did. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        try {
            exited.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (ExecutionException e) {
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }

    /**
     * Ends the mount: blocked reads are released with EIO first (an open file would make a
     * plain unmount fail with EBUSY), then fusermount -u, falling back to a lazy unmount.
     */
    public void unmount() {
        fs.closeReaders();
        // still mounting: let libfuse finish, or it would mount after we looked
        try {
            CompletableFuture.anyOf(setUp, exited).get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // failed or never ready: nothing of ours to unmount
        }
        if (MountTable.isMounted(mountPoint) && !MountTable.fusermount(mountPoint, "-u")) {
            sleep(100);
            if (MountTable.isMounted(mountPoint) && !MountTable.fusermount(mountPoint, "-u")) {
                MountTable.fusermount(mountPoint, "-u", "-z");
            }
        }
        try {
            if (!awaitExit(EXIT_TIMEOUT)) {
                LOG.log(System.Logger.Level.WARNING, "libfuse loop of {0} did not end", mountPoint);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        unmount();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
