package torfs.app;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import torfs.control.ControlException;
import torfs.control.Library;
import torfs.control.TorrentView;
import torfs.fuse.MountedTorrent;
import torfs.fuse.TorrentSet;
import torfs.metainfo.InfoHash;
import torfs.metainfo.MagnetLink;
import torfs.metainfo.MetainfoException;
import torfs.metainfo.MetainfoParser;
import torfs.metainfo.Torrent;
import torfs.picker.Priority;
import torfs.session.CacheBudget;
import torfs.session.Client;
import torfs.session.TorrentSession;
import torfs.storage.DataLayout;
import torfs.storage.HolePunch;
import torfs.stream.DeferredPieceSource;
import torfs.stream.ReaderConfig;
import torfs.stream.TorrentReader;

/**
 * The torrents of a mount of many, on one {@link Client}: each added torrent shows in the
 * {@link TorrentSet} at once (reads wait while its data is checked), its session starts on a
 * worker thread; a magnet shows once its metadata arrived. Each torrent's data lives in
 * {@code ROOT/<info-hash>}, where a mount of that torrent alone keeps it too. Removing one takes
 * it out of the tree at once and stops its session when its last open file is closed, or after
 * {@link #GRACE} (reads then fail with EIO).
 */
final class MountedLibrary implements Library, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(MountedLibrary.class.getName());
    /** How long open files of a removed torrent keep reading before the torrent stops anyway. */
    static final Duration GRACE = Duration.ofMinutes(5);

    private final Client client;
    private final TorrentSet set;
    private final Path root;
    private final MountOptions options;
    private final List<InetSocketAddress> extraPeers;
    /** {@code --cache-size}: one cap for all the torrents of the mount; null for none. */
    private final CacheBudget budget;
    private final Map<InfoHash, Entry> entries = new ConcurrentHashMap<>();
    /** Once the mount is up: each torrent that shows or goes is a log line (not the first ones: a terminal's worth). */
    private volatile boolean logChanges;
    /**
     * Starts sessions (a data check each: disk and hashing, so two at a time on two cores) and
     * stops them; its threads end when idle. Magnets wait on the swarm on their own threads.
     */
    private final ExecutorService workers = pool("torfs-torrent-start", 2);
    private final ExecutorService fetchers = pool("torfs-metadata", 8);

    private static ExecutorService pool(String name, int threads) {
        java.util.concurrent.ThreadPoolExecutor p = new java.util.concurrent.ThreadPoolExecutor(threads, threads,
                5, TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, name);
                    t.setDaemon(true);
                    return t;
                });
        p.allowCoreThreadTimeOut(true);
        return p;
    }

    /** One torrent of the library, from its addition to its removal. */
    private static final class Entry {
        final InfoHash hash;
        final Path dataDir;
        volatile String name;
        volatile Torrent torrent;
        volatile DeferredPieceSource source;
        volatile MountedTorrent mounted;
        volatile TorrentSession session;
        volatile String error;
        volatile Future<?> task;
        volatile boolean removed;
        /** Paused by a user (kept in a {@link PausedMark}); applied to the session under the entry's lock. */
        volatile boolean paused;
        /** A magnet whose metadata is still to come (its fetch waits while paused). */
        volatile MagnetLink magnet;

        Entry(InfoHash hash, Path dataDir, String name) {
            this.hash = hash;
            this.dataDir = dataDir;
            this.name = name;
        }
    }

    MountedLibrary(Client client, TorrentSet set, Path root, MountOptions options) {
        this.client = client;
        this.set = set;
        this.root = root;
        this.options = options;
        this.extraPeers = SourceFactories.network(options).peerAddresses();
        this.budget = options.cacheSize() > 0 ? new CacheBudget(options.cacheSize()) : null;
    }

    /** The data directory of a torrent: {@code ROOT/<info-hash>}. */
    Path dataDir(InfoHash hash) {
        return root.resolve(hash.hex());
    }

    /** From now on each torrent that shows in the tree or is removed is logged. */
    void logChanges() {
        logChanges = true;
    }

    @Override
    public TorrentView add(String source, boolean paused) throws ControlException {
        try {
            if (TorrentSource.isMagnet(source)) {
                return addMagnet(MagnetLink.parse(source), paused);
            }
            if (TorrentUrl.isUrl(source)) {
                return addMetainfo(TorrentUrl.fetch(source), paused);
            }
            Path p = Path.of(source);
            if (!p.isAbsolute()) {
                throw new ControlException(400, source + ": give an absolute path");
            }
            if (!Files.isRegularFile(p)) {
                throw new ControlException(400, source + ": no such file");
            }
            return addTorrent(MetainfoParser.parse(p), paused);
        } catch (MetainfoException e) {
            throw new ControlException(400, source + ": " + e.getMessage());
        } catch (IOException e) {
            throw new ControlException(400, source + ": " + e.getMessage());
        }
    }

    @Override
    public TorrentView addMetainfo(byte[] torrentFile, boolean paused) throws ControlException {
        try {
            return addTorrent(MetainfoParser.parse(torrentFile), paused);
        } catch (MetainfoException e) {
            throw new ControlException(400, "not a .torrent: " + e.getMessage());
        }
    }

    /** Adds a parsed torrent; it shows in the mount before this returns. */
    TorrentView addTorrent(Torrent torrent) throws ControlException {
        return addTorrent(torrent, false);
    }

    /** As {@link #addTorrent(Torrent)}; {@code paused} adds it paused (so does a paused mark left by an earlier mount). */
    TorrentView addTorrent(Torrent torrent, boolean paused) throws ControlException {
        Entry e = claim(torrent.infoHash(), torrent.name(), paused);
        show(e, torrent, List.of());
        return view(e);
    }

    TorrentView addMagnet(MagnetLink magnet) throws ControlException {
        return addMagnet(magnet, false);
    }

    /** Adds a magnet: from its saved metadata at once, else once the swarm gave it (not while paused). */
    TorrentView addMagnet(MagnetLink magnet, boolean paused) throws ControlException {
        Entry e = claim(magnet.infoHash(), magnet.displayName().isEmpty() ? magnet.infoHash().hex() : magnet.displayName(),
                paused);
        Torrent saved = MagnetMetadata.loadSaved(magnet, e.dataDir);
        if (saved != null) {
            show(e, saved, List.of());
            return view(e);
        }
        e.magnet = magnet;
        if (!e.paused) {
            fetchMetadata(e, magnet);
        }
        return view(e);
    }

    private void fetchMetadata(Entry e, MagnetLink magnet) {
        e.task = fetchers.submit(() -> {
            try {
                Files.createDirectories(e.dataDir);
                MagnetMetadata.Fetched f = MagnetMetadata.fetch(client, magnet, extraPeers,
                        options.metadataTimeout(), e.dataDir);
                if (!e.removed) {
                    e.magnet = null;
                    show(e, f.torrent(), f.peers());
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt(); // removed or paused while fetching
            } catch (IOException | RuntimeException | ControlException ex) {
                if (!e.paused || e.torrent != null) { // a pause cancels a fetch: no error then
                    fail(e, ex);
                }
            }
        });
    }

    private Entry claim(InfoHash hash, String name, boolean paused) throws ControlException {
        if (set.isClosed()) {
            throw new ControlException(503, "the mount is closing");
        }
        Entry e = new Entry(hash, dataDir(hash), name);
        Entry had = entries.putIfAbsent(hash, e);
        if (had != null) {
            throw new ControlException(409, hash.hex() + " is already in the mount as " + had.name);
        }
        if (paused) {
            PausedMark.set(e.dataDir, hash, true, LOG);
        }
        e.paused = paused || PausedMark.isSet(e.dataDir, hash);
        return e;
    }

    /** Shows the torrent in the tree, then starts its session on a worker. */
    private void show(Entry e, Torrent torrent, List<InetSocketAddress> metadataPeers) throws ControlException {
        String tooSmall = budget == null ? null : CacheSize.tooSmall(budget.capacity(), torrent);
        if (tooSmall != null) { // this add is refused; the mount and its other torrents go on
            entries.remove(e.hash, e);
            throw new ControlException(400, torrent.name() + ": " + tooSmall);
        }
        DeferredPieceSource source = new DeferredPieceSource(torrent);
        TorrentReader reader = new TorrentReader(source,
                new ReaderConfig(options.readTimeout(), options.readahead(), budget != null));
        MountedTorrent m;
        try {
            m = set.add(reader);
        } catch (IllegalStateException ex) {
            entries.remove(e.hash, e);
            throw new ControlException(409, ex.getMessage());
        }
        e.torrent = torrent;
        e.source = source;
        e.mounted = m;
        e.name = m.name();
        if (e.removed) { // removed while its metadata arrived: nothing of it may stay behind
            set.remove(e.hash.hex());
            reader.close();
            source.close();
            return;
        }
        if (logChanges) {
            LOG.log(System.Logger.Level.INFO, e.name + ": added (" + e.hash.hex().substring(0, 8) + ")");
        }
        List<InetSocketAddress> peers = new ArrayList<>(extraPeers);
        peers.addAll(metadataPeers);
        e.task = workers.submit(() -> start(e, torrent, source, peers));
    }

    private void start(Entry e, Torrent torrent, DeferredPieceSource source, List<InetSocketAddress> peers) {
        try {
            Files.createDirectories(e.dataDir);
            TorrentSession s = client.add(torrent, e.dataDir, e.paused);
            if (options.lazy()) {
                s.setDefaultPriority(Priority.NONE); // first: nothing downloads while the cap punches
            }
            if (budget != null) {
                try {
                    s.limitCache(budget, HolePunch.open(DataLayout.of(torrent, e.dataDir)));
                } catch (IOException ex) {
                    s.close();
                    throw new IOException("--cache-size: " + ex.getMessage(), ex);
                }
            }
            s.addPeers(peers);
            e.session = s;
            applyPause(e); // a pause or resume while it was checking
            source.started(s); // closes it at once when the torrent was removed meanwhile
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            source.failed(new InterruptedIOException("stopped while checking the data"));
        } catch (IOException | RuntimeException ex) {
            source.failed(ex);
            fail(e, ex);
        }
    }

    @Override
    public List<TorrentView> setPaused(List<String> ids, boolean paused) throws ControlException {
        List<Entry> named = new ArrayList<>();
        if (ids == null) {
            entries.values().stream().filter(e -> !e.removed).forEach(named::add);
        } else {
            for (String id : ids) {
                Entry e = lookup(id);
                if (e == null || e.removed) {
                    throw new ControlException(404, "no torrent " + id);
                }
                named.add(e);
            }
        }
        List<CompletableFuture<Void>> told = new ArrayList<>();
        for (Entry e : named) {
            if (e.paused != paused) {
                LOG.log(System.Logger.Level.INFO, e.name + (paused ? ": paused" : ": resumed"));
            }
            synchronized (e) {
                e.paused = paused;
            }
            PausedMark.set(e.dataDir, e.hash, paused, LOG);
            told.add(applyPause(e));
            MagnetLink m = e.magnet;
            Future<?> task = e.task;
            if (m != null && e.torrent == null) { // still without metadata: its fetch stops and starts too
                if (paused && task != null) {
                    task.cancel(true);
                } else if (!paused && (task == null || task.isDone())) {
                    e.error = null;
                    fetchMetadata(e, m);
                }
            }
        }
        try { // the peers are closed and the trackers told (bounded) before the answer
            CompletableFuture.allOf(told.toArray(new CompletableFuture[0])).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | TimeoutException ex) {
            // the pause is in place on the loop; only the trackers' answers are late
        }
        List<TorrentView> views = new ArrayList<>();
        for (Entry e : named) {
            views.add(view(e));
        }
        return views;
    }

    /**
     * Tells the session (if it runs) the entry's paused state. Under the entry's lock, so the
     * last call queued on the session's loop carries the last state set.
     */
    private CompletableFuture<Void> applyPause(Entry e) {
        synchronized (e) {
            TorrentSession s = e.session;
            if (s == null) {
                return CompletableFuture.completedFuture(null);
            }
            if (e.paused) {
                return s.pause();
            }
            return s.resume();
        }
    }

    private void fail(Entry e, Throwable t) {
        e.error = t instanceof ControlException || t instanceof IOException ? t.getMessage() : FailureHandler.describe(t);
        LOG.log(System.Logger.Level.WARNING, e.name + ": " + e.error);
    }

    @Override
    public TorrentView remove(String id, boolean deleteData) throws ControlException {
        Entry e = lookup(id);
        if (e == null) {
            return null;
        }
        TorrentView before = view(e);
        e.removed = true;
        if (logChanges) {
            LOG.log(System.Logger.Level.INFO, e.name + ": removed" + (deleteData ? "; its data goes once its files close" : ""));
        }
        Future<?> task = e.task;
        if (e.torrent == null && task != null) {
            task.cancel(true); // still fetching the metadata
        }
        TorrentSet.Removed r = e.mounted == null ? null : set.remove(e.hash.hex());
        CompletableFuture<Void> drained = r == null ? CompletableFuture.completedFuture(null) : r.drained();
        drained.orTimeout(GRACE.toMillis(), TimeUnit.MILLISECONDS).whenCompleteAsync((ok, timeout) -> {
            if (timeout instanceof TimeoutException) {
                LOG.log(System.Logger.Level.INFO, e.name + ": files still open after " + GRACE.toMinutes()
                        + " min; their reads now fail");
            }
            stop(e);
            entries.remove(e.hash, e);
            if (deleteData) {
                deleteData(e);
            }
        }, workers);
        return before;
    }

    /** Stops the torrent: reads end, the session saves its resume state and leaves the client. */
    private void stop(Entry e) {
        MountedTorrent m = e.mounted;
        if (m != null) {
            m.reader().close();
        }
        DeferredPieceSource s = e.source;
        if (s != null) {
            s.close();
        }
        TorrentSession session = e.session;
        if (session != null) {
            session.close();
        }
    }

    private void deleteData(Entry e) {
        // only the torrent's own directory under the root, whatever its name says
        if (!e.dataDir.getParent().equals(root) || !e.dataDir.getFileName().toString().equals(e.hash.hex())) {
            return;
        }
        try (var walk = Files.walk(e.dataDir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
            LOG.log(System.Logger.Level.INFO, e.name + ": data deleted");
        } catch (IOException ex) {
            LOG.log(System.Logger.Level.WARNING, e.name + ": could not delete its data: " + ex.getMessage());
        }
    }

    private Entry lookup(String id) {
        MountedTorrent m = set.find(id);
        if (m != null) {
            return entries.get(m.torrent().infoHash());
        }
        Entry found = null;
        String h = id.toLowerCase(java.util.Locale.ROOT);
        for (Entry e : entries.values()) {
            if (e.name.equals(id) || (h.length() >= 8 && e.hash.hex().startsWith(h))) {
                if (found != null) {
                    return null;
                }
                found = e;
            }
        }
        return found;
    }

    /** The info-hash of the torrent {@code id} names, or null. */
    InfoHash hashOf(String id) {
        Entry e = lookup(id);
        return e == null ? null : e.hash;
    }

    @Override
    public List<TorrentView> list() {
        List<TorrentView> all = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (!e.removed) {
                all.add(view(e));
            }
        }
        all.sort(Comparator.comparing(TorrentView::name));
        return all;
    }

    @Override
    public TorrentView find(String id) {
        Entry e = lookup(id);
        return e == null || e.removed ? null : view(e);
    }

    private TorrentView view(Entry e) {
        Torrent t = e.torrent;
        TorrentSession s = e.session;
        MountedTorrent m = e.mounted;
        String state;
        if (e.error != null) {
            state = "error";
        } else if (e.paused) {
            state = "stopped"; // Transmission's word: it serves what it has and fetches nothing
        } else if (t == null) {
            state = "metadata";
        } else if (s == null || s.isChecking()) {
            state = "checking";
        } else if (s.writeProblem() != null) {
            state = "error"; // it serves what it has; downloading resumes by itself once it can write
        } else {
            state = s.isComplete() ? "seeding" : "downloading";
        }
        String error = e.error != null || s == null ? e.error : s.writeProblem();
        return TorrentViews.of(m != null ? m.name() : e.name, e.hash, state, error, t, s,
                m == null ? null : m.reader(), m == null ? 0 : m.openHandles(), e.dataDir);
    }

    @Override
    public torfs.control.SessionView session() {
        int n = 0;
        for (Entry e : entries.values()) {
            n += e.removed ? 0 : 1;
        }
        return TorrentViews.session(client, n);
    }

    @Override
    public torfs.control.SessionView setLimits(Long uploadLimit, Long downloadLimit) {
        client.setLimits(uploadLimit == null ? client.maxUpload() : uploadLimit,
                downloadLimit == null ? client.maxDownload() : downloadLimit);
        return session();
    }

    /** Stops every torrent; the client is the caller's to close. */
    @Override
    public void close() {
        set.close();
        for (Entry e : entries.values()) {
            e.removed = true;
            Future<?> task = e.task;
            if (task != null && e.session == null) {
                task.cancel(true);
            }
        }
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (Entry e : entries.values()) {
            stops.add(CompletableFuture.runAsync(() -> stop(e), workers));
        }
        try {
            CompletableFuture.allOf(stops.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (Exception ex) {
            LOG.log(System.Logger.Level.WARNING, "while stopping the torrents: " + ex.getMessage());
        }
        workers.shutdownNow();
        fetchers.shutdownNow();
    }
}
