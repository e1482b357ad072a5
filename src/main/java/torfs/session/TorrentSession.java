package torfs.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import torfs.geometry.Bitfield;
import torfs.geometry.BlockRef;
import torfs.geometry.PieceGeometry;
import torfs.geometry.PieceRange;
import torfs.log.StartTrace;
import torfs.metainfo.Torrent;
import torfs.peer.PeerConnection;
import torfs.peer.PeerListener;
import torfs.peer.PeerSettings;
import torfs.picker.FileEnds;
import torfs.picker.PiecePicker;
import torfs.picker.Priority;
import torfs.storage.DataLayout;
import torfs.storage.DataLock;
import torfs.storage.PieceStore;
import torfs.storage.StateLocation;
import torfs.storage.PieceVerifier;
import torfs.storage.HolePunch;
import torfs.tracker.AnnounceEvent;
import torfs.tracker.AnnounceRequest;
import torfs.tracker.Announcer;
import torfs.wire.Handshake;
import torfs.webseed.WebSeeds;

/**
 * One torrent of a {@link Client}: its picker, peers and choking, confined to one Netty event
 * loop (no locks); the thread-safe {@link PieceSource} entry points hop onto that loop.
 *
 * <p>Received blocks are written straight to the store on the disk pool and a piece is hashed
 * from disk once all its blocks are written ({@link PieceWriter}): no piece-sized buffers, so memory is bounded by
 * the disk pool's water marks whatever the piece size. Unverified bytes may sit in the files,
 * but nothing reads them: a piece is announced (HAVE), recorded in the resume state and served
 * only after its hash matched.
 */
public final class TorrentSession implements PieceSource {
    private static final System.Logger LOG = System.getLogger(TorrentSession.class.getName());
    private static final int RESUME_SAVE_TICKS = 30;

    final Client client;
    private final DataLayout layout;
    final Torrent torrent;
    private final PieceGeometry geometry;
    private final PieceStore store;
    /** Held until the store is closed: no other process writes this torrent's files meanwhile. */
    private final DataLock dataLock;
    private final PieceVerifier verifier;
    private final EventLoop loop;
    private final DiskPool disk;
    private final PeerSettings peerSettings;
    private final Random random = new Random();

    // ---- loop-confined state (package-private: SessionPeerEvents and PauseSteps use it on the loop) ----
    final PiecePicker picker;
    final Map<Integer, PeerConnection> peers = new HashMap<>();
    private final Set<Integer> hashing = new HashSet<>();
    private final Wishes wishes = new Wishes();
    final PeerAddressBook addresses = new PeerAddressBook();
    /** Connections we dialled, by peer id: their address is a listening one, worth redialling. */
    final Map<Integer, InetSocketAddress> dialledPeers = new HashMap<>();
    PeerExchange exchange = new PeerExchange(PeerExchange.INTERVAL_NANOS, PeerExchange.FIRST_DELAY_NANOS);
    private int ticks;
    /** Peers' channels do not read while the disk pool is behind; read by disk threads. */
    private volatile boolean readingPaused;
    final ChokeRounds choking = new ChokeRounds(random);
    final Uploader uploader;
    final RateLimiter downLimit;
    final RequestFiller filler;
    final PieceWriter writer;
    private final WebSeeds webSeeds;
    final TransferCounters counters = new TransferCounters();
    private long verifiedBytes;
    /** verifiedBytes at the last periodic resume save. */
    private long savedVerifiedBytes = -1;
    private ScheduledFuture<?> ticker;
    Announcer announcer;
    /** The announcer whose trackers the status shows: the current one, or the last one while paused. */
    volatile Announcer shownAnnouncer;

    // ---- shared with other threads ----
    final ConcurrentBits verified;
    private final AtomicInteger diskTasks = new AtomicInteger();
    private final CompletableFuture<Void> complete = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    volatile boolean closed;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile boolean ownsClient;
    volatile SessionStats stats;
    private final BanList bans;
    private final WritePause writePause;
    private final ResumeSaves resumeSaves;
    /** The pieces the background check started with (its verdicts aside). */
    private final Bitfield foundOnDisk;
    /** Of those, the ones whose verdict is not in yet; cleared by the hashing thread. */
    private final ConcurrentBits awaitingVerdict;
    /** Hashes the pieces found on disk while the session runs; null when none were. */
    private final BackgroundCheck check;
    /** True until the background check's last verdict is in; read by other threads. */
    private volatile boolean checking = true;
    /** Set once by {@link #limitCache}; null: nothing is ever evicted. */
    volatile CacheEviction eviction;
    final PauseState pause;

    /**
     * @param have      pieces verified already
     * @param unchecked pieces on disk still to hash ({@link BackgroundCheck}): the picker holds
     *                  them as had, so nobody fetches them, until their verdict
     */
    TorrentSession(Client client, DataLayout layout, PieceStore store, DataLock dataLock, Bitfield have,
                   Bitfield unchecked, EventLoop loop, DiskPool disk, BanList bans, PeerSettings peerSettings, RateLimiter upLimit,
                   RateLimiter downLimit, boolean paused) {
        this.client = client;
        this.layout = layout;
        this.torrent = layout.torrent();
        this.geometry = layout.geometry();
        this.store = store;
        this.dataLock = dataLock;
        this.verifier = new PieceVerifier(torrent, store);
        this.loop = loop;
        this.disk = disk;
        this.bans = bans;
        this.peerSettings = peerSettings;
        Bitfield held = have.copy();
        held.or(unchecked);
        this.foundOnDisk = unchecked.copy();
        this.awaitingVerdict = new ConcurrentBits(unchecked);
        this.picker = new PiecePicker(geometry, held, random);
        picker.preferByDefault(FileEnds.of(geometry, held)); // a full download fetches its files' ends first
        this.verified = new ConcurrentBits(have);
        this.writePause = new WritePause(layout.dataDir(), store::freeBytes);
        this.pause = new PauseState(torrent.name(), paused);
        this.writer = new PieceWriter(geometry, store, verifier, disk, loop, verified, diskTasks,
                this::hashed, () -> readingPaused, this::resumeReading, e -> loop.execute(() -> writeFailed(e)));
        this.resumeSaves = new ResumeSaves(layout, store, verified);
        if (!unchecked.isEmpty()) {
            // until every verdict is in, a saved state would claim too little and be trusted
            resumeSaves.holdBack(true);
            diskTasks.incrementAndGet(); // the stop waits for the hashing threads before closing the store
            this.check = new BackgroundCheck(unchecked, 1, torrent.name(), // one thread: the download goes on beside it
                    verifier::verify, new CheckVerdicts());
        } else {
            this.check = null;
        }
        this.uploader = new Uploader(geometry, store, leases, loop, disk, diskTasks, upLimit);
        this.downLimit = downLimit;
        // no requests once stopped, while paused, nor while the disk is full (what arrives could not be stored)
        this.filler = new RequestFiller(picker, peers, downLimit, loop,
                () -> closed || pause.isPaused() || writePause.isPaused());
        this.webSeeds = new WebSeeds(torrent, geometry, picker, loop, client::nextPeerNumber,
                () -> closed || pause.isPaused() || writePause.isPaused() || readingPaused, this::onBlock);
        for (int p = have.nextSet(0); p >= 0; p = have.nextSet(p + 1)) {
            verifiedBytes += geometry.pieceSize(p);
        }
        this.stats = snapshot();
        if (have.isComplete()) {
            complete.complete(null);
        }
    }

    /** Starts ticking and announcing; called by the client once the session is registered. */
    void start(Announcer announcer) {
        loop.execute(() -> {
            this.announcer = announcer;
            this.shownAnnouncer = announcer;
            long hold = client.settings().requests().backgroundHold().toNanos();
            filler.holdBackground(hold);
            webSeeds.holdBackground(hold);
            ticker = loop.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
            if (announcer != null) {
                announcer.start();
            }
            webSeeds.fill();
        });
        if (check != null) {
            // quiet, as a check before the start was: a copy of a complete download mounts without a word
            LOG.log(System.Logger.Level.DEBUG, torrent.name() + ": checking " + check.left()
                    + " pieces found on disk while it runs; reads check theirs first");
            check.start();
        }
    }

    /** True while pieces found on disk are being hashed ({@link BackgroundCheck}). */
    public boolean isChecking() {
        return check != null && checking;
    }

    /** The background check's verdicts: on its threads, then on the loop. */
    private final class CheckVerdicts implements BackgroundCheck.Verdicts {
        /** Pieces found wrong or missing, waiting for the loop to give them to the picker. */
        private final java.util.concurrent.ConcurrentLinkedQueue<Integer> lost = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final AtomicBoolean drainQueued = new AtomicBoolean();
        private final AtomicInteger right = new AtomicInteger();

        @Override
        public void checked(int piece, boolean ok) {
            if (ok) {
                right.incrementAndGet();
                writer.verifiedOnDisk(piece); // readers go at once
                awaitingVerdict.clear(piece); // after: a read that sees it cleared sees it verified
                loop.execute(() -> checkedOk(piece));
                return;
            }
            awaitingVerdict.clear(piece); // before the drain, which fails the reads nobody will serve
            lost.add(piece);
            if (drainQueued.compareAndSet(false, true)) { // one loop task for a run of missing pieces
                loop.execute(this::drain);
            }
        }

        @Override
        public void done(boolean finished) {
            loop.execute(() -> checkEnded(finished));
        }

        /** On the loop: pieces not on disk (or wrong) are wanted again. */
        void drain() {
            drainQueued.set(false);
            boolean any = false;
            for (Integer p = lost.poll(); p != null; p = lost.poll()) {
                if (!closed) {
                    picker.pieceLost(p);
                    wishes.reapply(p, picker); // a reader waiting for it wants it again
                    any = true;
                    // paused, or unable to store it: nobody will fetch it, as for any missing piece
                    if (pause.isPaused()) {
                        writer.failWaiting(p, pause.readFailure());
                    } else if (writePause.isPaused()) {
                        writer.failWaiting(p, writePause.readFailure());
                    }
                }
            }
            if (any) {
                refreshAll();
            }
        }

        /** On the loop: the piece on disk is right; peers hear it. */
        private void checkedOk(int piece) {
            if (closed) {
                return;
            }
            verifiedBytes += geometry.pieceSize(piece);
            for (PeerConnection p : peers.values()) {
                p.sendHave(piece);
                p.channel().flush();
            }
        }

        /** On the loop: every verdict is in (or the check stopped or could not read). */
        private void checkEnded(boolean finished) {
            try {
                if (closed) {
                    return;
                }
                if (!finished) {
                    Bitfield rest = check.takeRemaining();
                    for (int p = rest.nextSet(0); p >= 0; p = rest.nextSet(p + 1)) {
                        awaitingVerdict.clear(p);
                        lost.add(p);
                    }
                }
                drain();
                checking = false;
                int found = foundOnDisk.cardinality();
                if (right.get() < found) { // said only when something is fetched again
                    LOG.log(System.Logger.Level.INFO, torrent.name() + ": data checked: " + right.get() + " of the "
                            + found + " pieces found on disk are right; the rest are fetched"
                            + (finished ? "" : " (the check ended early)"));
                }
                resumeSaves.holdBack(false);
                if (picker.isComplete()) {
                    onComplete();
                } else {
                    saveResumeAsync();
                }
            } finally {
                diskTasks.decrementAndGet();
            }
        }
    }

    /**
     * Creates the torrent's files at full length, sparse ({@link DataFiles}), on a thread of its
     * own while the first pieces are asked for: 5,000 new files took 0.07-0.45 s before the
     * first request, 100,000 take seconds. Writes meanwhile create their files themselves, and
     * the sizes only ever grow to the torrent's, so neither undoes the other. Counted as a disk
     * task: a stop's resume save waits for it. A failure is logged (the writes that follow
     * report a disk that refuses them); read-only data is not tried (a seed of it needs
     * nothing created, and a write that is needed says why itself).
     */
    void prepareFiles() {
        if (StateLocation.cannotWrite(layout.dataDir())) {
            return;
        }
        diskTasks.incrementAndGet();
        Thread t = new Thread(() -> {
            try {
                DataFiles.prepareFiles(layout);
                StartTrace.mark("files prepared");
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, torrent.name() + ": could not create its files: " + e.getMessage());
            } finally {
                diskTasks.decrementAndGet();
            }
        }, "torfs-prepare");
        t.setDaemon(true);
        t.start();
    }

    // ---- public API ----

    public DataLayout layout() {
        return layout;
    }

    /** Completes when every piece is verified (at once for a complete torrent). */
    public CompletableFuture<Void> whenComplete() {
        return complete;
    }

    public boolean isComplete() {
        return complete.isDone();
    }

    /** True while downloading is paused because the data cannot be written (a full disk, a read-only one). */
    public boolean isWritePaused() {
        return writePause.isPaused();
    }

    /** While {@link #isWritePaused()}: why, in one line ("disk full at DIR: ..."); else null. */
    public String writeProblem() {
        return writePause.isPaused() ? writePause.readFailure().getMessage() + "; downloading paused" : null;
    }

    /** The client it runs on (its port, limits and DHT node). */
    public Client client() {
        return client;
    }

    /** True while a user paused it: see {@link #pause()}. */
    public boolean isPaused() {
        return pause.isPaused();
    }

    /**
     * Pauses: closes every peer and refuses new ones, sends {@code stopped} to the trackers, ends
     * the DHT lookups and web seed requests. Verified pieces are still read; a read of a missing
     * piece fails at once. Completes once the trackers answered (at most about a second).
     */
    public CompletableFuture<Void> pause() {
        CompletableFuture<Void> told = new CompletableFuture<>();
        loop.execute(() -> PauseSteps.pause(this, told));
        return told;
    }

    /**
     * Resumes a paused torrent: announces {@code started} again, looks up the DHT, dials its
     * peers. Completes once reads wait for missing pieces again (one task of the loop).
     */
    public CompletableFuture<Void> resume() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> PauseSteps.resume(this, done));
        return done;
    }

    /**
     * Its trackers with their last results, tier by tier (the last ones known while paused; never
     * announced to when it started paused).
     */
    public List<torfs.tracker.TrackerStatus> trackerStatus() {
        Announcer a = shownAnnouncer;
        return a != null ? a.status() : torfs.tracker.TrackerStatus.unannounced(torrent.trackers());
    }

    /** Its DHT lookups as they went, or null when it has none (no DHT, a private torrent, started paused). */
    public DhtLookupStatus dhtStatus() {
        return client.dhtStatus(this);
    }

    /** Numbers as of the last tick (about a second old). */
    public SessionStats stats() {
        return stats;
    }

    /** Adds peer addresses to connect to (from --peer, a tracker, ...). */
    public void addPeers(Collection<InetSocketAddress> peerAddresses) {
        List<InetSocketAddress> copy = peerAddresses.stream().filter(a -> !client.isSelf(a)).toList();
        loop.execute(() -> {
            this.addresses.add(copy, System.nanoTime());
            connectMore();
        });
    }

    /** Private (BEP 27): no ut_pex, PORT or DHT bit here; the DHT and ut_metadata must leave it alone too. */
    public boolean isPrivate() {
        return torrent.isPrivate();
    }

    /** For tests: ut_pex messages every {@code interval} instead of every minute. */
    void setPexInterval(java.time.Duration interval) {
        loop.execute(() -> exchange = new PeerExchange(interval.toNanos(), 0));
    }

    /** The priority of pieces nobody asked for: NORMAL downloads everything, NONE nothing. */
    public void setDefaultPriority(Priority p) {
        loop.execute(() -> {
            picker.setDefaultPriority(p);
            refreshAll();
        });
    }

    /**
     * Caps the bytes of verified pieces kept on disk (a mount's {@code --cache-size}, shared by
     * its torrents; left at the stop): past it the least recently read pieces nobody holds are
     * evicted, their blocks punched out by {@code punch}. Call once, before reads begin; pieces
     * already on disk beyond the cap go now, and data outside the verified pieces at once.
     */
    public void limitCache(CacheBudget budget, HolePunch punch) {
        CacheEviction e = new CacheEviction(budget, geometry, verified, punch, resumeSaves, disk, diskTasks,
                loop, this::evicted, this::pieceGone, () -> {
                    if (!closed) {
                        refreshAll();
                    }
                });
        e.punchUnverified(verified.snapshot()); // no read yet, nothing downloading: the cap counts all on disk
        eviction = e;
        loop.execute(() -> {
            // a new piece waits while evicted ones it would not fit beside are still on disk
            picker.setStartGate(() -> e.mayStartPiece((picker.downloadingCount() + 1L) * geometry.pieceLength()));
            e.fill(verified.snapshot());
            saveResumeAsync(); // from now on the saved state is known, and is rewritten before a punch
        });
    }

    /** On the loop: pieces just evicted (verified bits clear, punch queued). Peers hear it now. */
    private void evicted(List<Integer> pieces) {
        pieces.forEach(piece -> verifiedBytes -= geometry.pieceSize(piece));
        CacheEviction.tellPeers(peers.values(), pieces);
    }

    /**
     * On the loop: room the cache keeps for pieces about to land, since the cap counts every byte
     * on disk: those being downloaded, or all that readers want (their windows), if more.
     */
    private long cacheReserve() {
        return (long) Math.max(picker.downloadingCount(), picker.criticalCount()) * geometry.pieceLength();
    }

    /** On the loop: an evicted piece's blocks are punched out; the picker may fetch it again. */
    private void pieceGone(int piece) {
        if (closed || verified.get(piece)) {
            return;
        }
        picker.pieceLost(piece);
        wishes.reapply(piece, picker); // a reader waiting for it wants it again
        refreshAll();
    }

    /** Leases for readers and uploads: through the cache when it is capped. */
    private final PieceLeases leases = PieceLeases.through(() -> eviction, this::isVerified);

    /**
     * Stops: closes every peer, waits for pending writes, saves the resume state, tells the
     * trackers {@code stopped} and closes the store ({@link StopSequence}). Idempotent.
     */
    public CompletableFuture<Void> stop() {
        if (!stopping.compareAndSet(false, true)) {
            return stopped; // one stop path only, however many threads ask at once
        }
        closed = true;
        if (check != null) {
            check.stop(); // the pieces being hashed finish; the stop's disk wait covers them
        }
        loop.execute(() -> {
            if (ticker != null) {
                ticker.cancel(false);
            }
            uploader.close();
            if (eviction != null) {
                eviction.leave(); // its bytes no longer count against a mount's shared cap
            }
            stats = snapshot(); // final numbers for whoever reads them after the stop
            for (PeerConnection p : List.copyOf(peers.values())) {
                p.close("stopping");
            }
            webSeeds.close();
            writer.stop();
            client.removed(this);
            // the rest waits for disk tasks and trackers: on a thread of its own, not the loop
            new StopSequence(diskTasks, resumeSaves, store, dataLock, stopped, () -> {
                if (ownsClient) {
                    client.close(); // a client started for this torrent alone goes with it
                }
            }).start(announcer);
        });
        return stopped;
    }

    /**
     * The connected peers, read on the loop (their state is confined to it): completes within
     * one task of the loop, with an empty list once the session stopped.
     */
    public CompletableFuture<List<PeerStatus>> peerStatus() {
        return StatusSnapshots.onLoop(closed, List.of(), loop,
                () -> StatusSnapshots.peers(peers.values(), geometry.pieceCount()));
    }

    /**
     * Each piece's state as a status map shows it, one letter a piece, read on the loop:
     * {@code C} verified, {@code R} a read waits for it, {@code A} in a reader's readahead
     * window, {@code D} blocks of it arrived, {@code M} missing and some peer has it, {@code U}
     * missing and no connected peer has it. Empty once the session stopped.
     */
    public CompletableFuture<String> pieceStates() {
        return StatusSnapshots.onLoop(closed, "", loop, () -> StatusSnapshots.pieceStates(picker, verified.snapshot()));
    }

    /** Makes {@link #stop()} close the client too: for a client started for this torrent alone. */
    void ownClient() {
        ownsClient = true;
    }

    // ---- PieceSource ----

    @Override
    public Torrent torrent() {
        return torrent;
    }

    @Override
    public PieceGeometry geometry() {
        return geometry;
    }

    @Override
    public boolean isVerified(int piece) {
        return verified.get(piece);
    }

    @Override
    public Bitfield verifiedSnapshot() {
        return verified.snapshot();
    }

    /**
     * The pieces verified, and those a background check found on disk (right or not, their
     * bytes take their room already): what needs no more space.
     */
    public Bitfield storedSnapshot() {
        Bitfield b = verified.snapshot();
        b.or(foundOnDisk);
        return b;
    }

    @Override
    public boolean tryLease(int piece) {
        return leases.tryLease(piece);
    }

    @Override
    public void release(int piece) {
        leases.release(piece);
    }

    @Override
    public CompletableFuture<Void> whenVerified(int piece) {
        CompletableFuture<Void> f;
        if (awaitingVerdict.get(piece)) {
            // no loop hop: the verifying disk thread completes it
            f = writer.whenVerified(piece);
            if (awaitingVerdict.get(piece)) {
                // found on disk, its hash still to come: the verdict decides, needing neither
                // peers nor room (found missing while paused, CheckVerdicts.drain fails it)
                return f;
            }
            // found missing while it registered, maybe before the drain: as any missing piece
        } else {
            if (pause.isPaused() && !verified.get(piece)) {
                return CompletableFuture.failedFuture(pause.readFailure()); // nobody would fetch it
            }
            if (writePause.isPaused() && !verified.get(piece)) {
                return CompletableFuture.failedFuture(writePause.readFailure()); // it could not be stored
            }
            f = writer.whenVerified(piece);
        }
        if (writePause.isPaused() && !f.isDone()) {
            f.completeExceptionally(writePause.readFailure()); // the pause began while it registered
        }
        if (pause.isPaused() && !f.isDone()) {
            f.completeExceptionally(pause.readFailure()); // paused while it registered
        }
        return f;
    }

    /** What a capped cache's evictions cost this torrent so far; null without a cap. */
    public torfs.storage.PieceCache.Refetches cacheRefetches() {
        CacheEviction e = eviction;
        return e == null ? null : e.refetches();
    }

    @Override
    public void want(Object owner, PieceRange range, Priority priority, long deadlineNanos, long nanosPerPiece) {
        if (range.end() > geometry.pieceCount()) {
            throw new IndexOutOfBoundsException("range " + range + " beyond " + geometry.pieceCount() + " pieces");
        }
        long issued = System.nanoTime();
        CacheEviction e = eviction;
        if (e != null) {
            if (priority == Priority.NOW || priority == Priority.READAHEAD) {
                e.protect(owner, range); // a reader's window and a blocked read stay on disk
            } else {
                e.unprotect(owner);
            }
        }
        if (priority == Priority.NOW) {
            StartTrace.mark("first read's piece wanted");
        }
        if (isChecking() && (priority == Priority.NOW || priority == Priority.READAHEAD)) {
            check.prefer(range); // a reader's pieces on disk are hashed before the rest
        }
        loop.execute(() -> {
            wishes.set(owner, new Wishes.Wish(range, priority, deadlineNanos, nanosPerPiece, issued), picker);
            if (e != null) {
                e.trim(cacheReserve()); // a grown window makes room before it downloads
            }
            refreshAll();
        });
    }

    @Override
    public void forget(Object owner) {
        CacheEviction e = eviction;
        if (e != null) {
            e.unprotect(owner);
        }
        loop.execute(() -> {
            wishes.remove(owner, picker);
            filler.withdrawUnwanted(); // a closed file's window is not fetched for nobody
            refreshAll();
        });
    }

    @Override
    public int readVerified(long offset, ByteBuffer dst) throws IOException {
        int n = (int) Math.min(dst.remaining(), geometry.totalLength() - offset);
        if (n <= 0) {
            return 0;
        }
        PieceRange r = geometry.piecesOf(offset, n);
        for (int p = r.first(); p < r.end(); p++) {
            if (!verified.get(p)) {
                throw new IOException("piece " + p + " is not verified");
            }
        }
        ByteBuffer view = dst.duplicate();
        view.limit(view.position() + n);
        store.readAt(offset, view);
        dst.position(dst.position() + n);
        return n;
    }

    @Override
    public void close() {
        try {
            stop().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "stop", e);
        }
    }

    // ---- peers: called on the loop by the client ----

    EventLoop loop() {
        return loop;
    }

    /** On the loop: the numbers of the connected peers. */
    Set<Integer> peerNumbers() {
        return Set.copyOf(peers.keySet());
    }

    /** On the loop: the connected peers' channels (TCP or uTP). */
    List<io.netty.channel.Channel> peerChannels() {
        return peers.values().stream().map(PeerConnection::channel).toList();
    }

    /** On the loop: where the connected peers are (their remote addresses). */
    List<InetSocketAddress> peerAddresses() {
        return peers.values().stream().map(p -> (InetSocketAddress) p.remoteAddress()).toList();
    }

    /** On the loop: whether {@code a} reached this torrent's address book (for tests of its sources). */
    boolean knowsAddress(InetSocketAddress a) {
        return addresses.knows(a);
    }

    int peerCount() {
        return peers.size() + addresses.dialledCount() - dialledPeers.size();
    }

    AnnounceRequest announceStats() {
        long left = geometry.totalLength() - verifiedBytes;
        return new AnnounceRequest(torrent.infoHash(), client.peerId(), client.port(), uploader.uploaded(),
                counters.downloaded, left, AnnounceEvent.NONE, 50, client.announceKey());
    }

    /** A handshaken connection for this torrent; false when it was refused (and closed). */
    boolean attach(Channel ch, Handshake theirs, String handshakeHandler, InetSocketAddress dialled) {
        String host = ch.remoteAddress() instanceof InetSocketAddress a
                ? a.getAddress().getHostAddress() : String.valueOf(ch.remoteAddress());
        if (closed || pause.isPaused() || !ch.isActive() || bans.isBanned(host)
                || peers.size() >= client.settings().maxPeersPerTorrent()
                || Arrays.equals(theirs.peerId(), client.peerId())) {
            ch.close();
            if (dialled != null) {
                addresses.lost(dialled, System.nanoTime());
            }
            return false;
        }
        PeerConnection p = new PeerConnection(client.nextPeerNumber(), ch, theirs, geometry, events, peerSettings,
                System::nanoTime);
        ch.pipeline().replace(handshakeHandler, "peer", p);
        peers.put(p.id(), p);
        if (dialled != null) {
            dialledPeers.put(p.id(), dialled);
        }
        choking.connected(p.id(), System.nanoTime());
        ch.config().setAutoRead(!readingPaused);
        p.start();
        if (client.dhtPort() > 0 && !torrent.isPrivate()) {
            p.sendDhtPort(client.dhtPort()); // only to peers that set the DHT bit
        }
        return true;
    }

    void connectFailed(InetSocketAddress address) {
        addresses.lost(address, System.nanoTime());
    }

    // ---- events from peers ----

    /** What the session does when its peers speak: on the loop, like the rest of its state. */
    private final PeerListener events = new SessionPeerEvents(this);

    void updateInterest(PeerConnection p) {
        boolean want = !picker.isComplete() && picker.isInteresting(p.id());
        p.setInterested(want);
        if (want) {
            filler.fill(p);
        }
    }

    /** Priorities changed: interest and pipelines of every peer may change. */
    void refreshAll() {
        for (PeerConnection p : List.copyOf(peers.values())) {
            p.setInterested(!picker.isComplete() && picker.isInteresting(p.id()));
        }
        filler.reschedule();
        webSeeds.fill();
    }

    // ---- download: write, hash, announce ----

    /** A block from a peer or a web seed (numbered as peers are). */
    void onBlock(int from, BlockRef ref, ByteBuf data) {
        if (closed || !picker.blockReceived(from, ref)) {
            counters.wasted += ref.length();
            data.release();
            return;
        }
        for (int q : picker.peersToCancel(ref)) {
            PeerConnection other = peers.get(q);
            if (other != null) {
                other.cancel(ref);
            }
        }
        counters.downloaded += ref.length();
        int piece = ref.piece();
        // the piece's last block: whichever of its writes finishes last hashes it
        boolean last = picker.isPieceFullyReceived(piece) && hashing.add(piece);
        writer.write(ref, data, last, picker.priority(piece) == Priority.NOW);
        if (!readingPaused && disk.overloaded()) {
            setReading(false);
        }
    }

    /** On the loop: a write failed: downloading pauses ({@link WritePause}). */
    private void writeFailed(IOException e) {
        writePause.writeFailed(e, writer::failWaiting);
    }

    private void resumeReading() {
        if (readingPaused && disk.drained()) {
            setReading(true);
        }
    }

    private void hashed(int piece, boolean ok, boolean blame) {
        hashing.remove(piece);
        if (closed) {
            return;
        }
        if (ok) {
            // the disk thread has set it verified and woken its readers (PieceWriter.check)
            picker.pieceVerified(piece);
            verifiedBytes += geometry.pieceSize(piece);
            CacheEviction e = eviction;
            if (e != null) {
                e.stored(piece, cacheReserve());
            }
            for (PeerConnection p : peers.values()) {
                p.sendHave(piece);
                p.channel().flush();
            }
            if (picker.isComplete() && !isChecking()) {
                onComplete();
            } else {
                for (PeerConnection p : List.copyOf(peers.values())) {
                    if (p.amInterested()) {
                        updateInterest(p);
                    }
                }
            }
            return;
        }
        if (blame) {
            counters.hashFailures++; // not a failed write
        }
        Set<Integer> contributors = picker.contributors(piece);
        picker.pieceFailed(piece);
        if (blame) {
            bans.blame(piece, contributors, peers);
            webSeeds.hashFailed(contributors);
        }
        filler.reschedule();
    }

    private void onComplete() {
        stats = snapshot();
        complete.complete(null);
        if (announcer != null) {
            announcer.completed();
        }
        for (PeerConnection p : List.copyOf(peers.values())) {
            p.setInterested(false);
            if (p.have().isComplete()) {
                p.close("both seeds"); // two seeds have nothing to say to each other
            }
        }
        saveResumeAsync();
    }

    private void setReading(boolean on) {
        readingPaused = !on;
        for (PeerConnection p : peers.values()) {
            p.channel().config().setAutoRead(on);
        }
        if (on) {
            webSeeds.fill();
        }
    }

    // ---- once a second ----

    private void tick() {
        if (closed) {
            return;
        }
        ticks++;
        for (PeerConnection p : List.copyOf(peers.values())) {
            p.tick();
        }
        if (readingPaused && disk.drained()) {
            setReading(true);
        }
        if (ticks % 10 == 1) {
            choking.round(peers.values(), picker.isComplete());
        }
        writePause.tick(geometry.pieceLength(), geometry.totalLength() - verifiedBytes, this::refreshAll);
        wishes.demoteStale(System.nanoTime(), picker);
        filler.reschedule();
        webSeeds.tick();
        for (PeerConnection p : List.copyOf(peers.values())) {
            uploader.serve(p);
        }
        if (ticks % RESUME_SAVE_TICKS == 0 && verifiedBytes != savedVerifiedBytes) {
            // a save stats every file: a torrent of 100,000 files pays it only for news
            savedVerifiedBytes = verifiedBytes;
            saveResumeAsync();
        }
        if (!torrent.isPrivate()) {
            exchange.sendDue(peers.values(), dialledPeers, System.nanoTime()); // the ut_pex messages due
        }
        connectMore();
        if (announcer != null && peers.size() < 5 && !picker.isComplete()) {
            announcer.needPeers();
        }
        counters.tick(uploader::uploaded);
        stats = snapshot();
    }

    SessionStats snapshot() {
        long uploaded = uploader == null ? 0 : uploader.uploaded();
        return counters.snapshot(uploaded, peers.values(), geometry.pieceCount() - picker.missingCount(),
                geometry.pieceCount(), geometry.totalLength() - verifiedBytes);
    }

    void connectMore() {
        if (closed || pause.isPaused()) {
            return;
        }
        int room = Math.min(client.settings().maxPeersPerTorrent() - peerCount(), client.dialRoom());
        if (room <= 0) {
            return;
        }
        for (InetSocketAddress a : addresses.takeToDial(room,
                x -> bans.isBanned(x.getAddress().getHostAddress()), System.nanoTime())) {
            client.connect(this, a);
        }
    }

    private void saveResumeAsync() {
        diskTasks.incrementAndGet();
        disk.executor().execute(() -> {
            try {
                resumeSaves.save(); // its snapshot is taken in order with the punches
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "resume save", e);
            } finally {
                diskTasks.decrementAndGet();
            }
        });
    }

    @Override
    public String toString() {
        return "TorrentSession[" + torrent.name() + "]";
    }
}
