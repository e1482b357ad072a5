package torfs.webseed;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoop;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import torfs.geometry.BlockRef;
import torfs.geometry.PieceGeometry;
import torfs.metainfo.FileTable;
import torfs.metainfo.Torrent;
import torfs.picker.DeadlineScheduler;
import torfs.picker.PiecePicker;

/**
 * A torrent's web seeds (BEP 19) as a piece source. Each seed is a peer that has every piece:
 * it asks the picker for blocks like a peer does (first the open blocks of the pieces readers
 * wait for, then the background's pick), marks them requested so peers do not duplicate them,
 * fetches each contiguous run of blocks with one HTTP range request per file, and hands the
 * blocks to the {@link Sink}, which verifies them as it does a peer's. So a lazy mount fetches
 * what is read and a download fetches everything, with or without peers.
 *
 * <p>Confined to the torrent's loop: every method, and every callback, runs there.
 */
public final class WebSeeds {
    private static final System.Logger LOG = System.getLogger(WebSeeds.class.getName());
    /** Buffered bytes in flight per seed for the background... */
    static final long BACKGROUND_BYTES = 8 << 20;
    /** ...and on top of it for pieces readers need. */
    static final long URGENT_BYTES = 4 << 20;
    /** The most one run (one buffer, a few range requests) holds. */
    static final int RUN_BYTES = 2 << 20;
    /** A seed whose pieces failed the hash this often is dropped. */
    static final int MAX_HASH_FAILURES = 3;
    static final int MAX_REDIRECTS = 5;
    static final long TIMEOUT_NANOS = 30_000_000_000L;

    /** Where verified-to-be blocks go: the same path as a peer's blocks. */
    public interface Sink {
        /** Takes ownership of {@code data}. */
        void blockReceived(int seed, BlockRef block, ByteBuf data);
    }

    private final Torrent torrent;
    private final FileTable files;
    private final PieceGeometry geometry;
    private final PiecePicker picker;
    private final EventLoop loop;
    private final BooleanSupplier paused;
    private final Sink sink;
    private final List<WebSeed> seeds = new ArrayList<>();
    private final Map<String, HostPool> pools = new HashMap<>();
    private boolean closed;
    /** The background waits until then, or until a reader needs a piece (as the peers' does). */
    private long backgroundFrom = System.nanoTime();
    private boolean backgroundHeld;

    /**
     * @param ids    numbers for the seeds, unique among the torrent's peers
     * @param paused true while no new requests may start (stopped, disk full or behind)
     */
    public WebSeeds(Torrent torrent, PieceGeometry geometry, PiecePicker picker, EventLoop loop, IntSupplier ids,
                    BooleanSupplier paused, Sink sink) {
        this.torrent = torrent;
        this.files = torrent.fileTable();
        this.geometry = geometry;
        this.picker = picker;
        this.loop = loop;
        this.paused = paused;
        this.sink = sink;
        for (String url : torrent.webSeeds()) {
            String why = unusable(url);
            if (why != null) {
                LOG.log(System.Logger.Level.WARNING, "web seed " + url + " skipped: " + why);
                continue;
            }
            WebSeed s = new WebSeed(ids.getAsInt(), url, torrent);
            seeds.add(s);
            picker.peerHaveAll(s.id);
        }
    }

    /** Null when the URL can serve this torrent, else why not. */
    private String unusable(String url) {
        try {
            URI u = WebSeedUrl.of(url, torrent, 0);
            if (!isHttp(u)) {
                return "not an http or https URL";
            }
            return null;
        } catch (IllegalArgumentException e) {
            return "bad URL: " + e.getMessage();
        }
    }

    private static boolean isHttp(URI u) {
        return ("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme())) && u.getHost() != null;
    }

    public boolean isEmpty() {
        return seeds.isEmpty();
    }

    /** Seeds not dropped. */
    public int activeCount() {
        return (int) seeds.stream().filter(s -> !s.dropped).count();
    }

    /**
     * Holds the background for {@code nanos} or until a reader needs a piece: a fresh mount's
     * first requests are for its first read, and a lazy mount sets its priorities meanwhile.
     */
    public void holdBackground(long nanos) {
        backgroundFrom = System.nanoTime() + nanos;
        backgroundHeld = nanos > 0;
    }

    /** Starts what each seed has room for: urgent blocks first, then the background. */
    public void fill() {
        if (closed || seeds.isEmpty() || picker.isComplete() || paused.getAsBoolean()) {
            return;
        }
        long now = System.nanoTime();
        if (backgroundHeld && (picker.hasCritical() || now - backgroundFrom >= 0)) {
            backgroundHeld = false;
        }
        for (WebSeed s : seeds) {
            if (!s.ready(now)) {
                continue;
            }
            while (s.inFlightBytes < BACKGROUND_BYTES + URGENT_BYTES) {
                List<BlockRef> blocks = pickCritical(s, now);
                if (blocks.isEmpty()) {
                    break;
                }
                launch(s, blocks, true);
            }
            while (!backgroundHeld && s.inFlightBytes < BACKGROUND_BYTES) {
                // in file order: a server reads ahead on sequential ranges, not on random ones
                List<BlockRef> blocks = picker.pickInOrder(s.id, RUN_BYTES / PieceGeometry.BLOCK_SIZE, s.cursor);
                if (blocks.isEmpty()) {
                    break;
                }
                s.cursor = blocks.get(blocks.size() - 1).piece();
                launch(s, blocks, false);
            }
        }
    }

    /** The open blocks of the pieces readers need, most urgent first, marked requested by the seed. */
    private List<BlockRef> pickCritical(WebSeed s, long now) {
        List<BlockRef> open = new ArrayList<>();
        int budget = RUN_BYTES;
        for (DeadlineScheduler.Piece p : picker.critical()) {
            if (budget <= 0) {
                break;
            }
            for (int i = 0; i < p.blockCount() && budget > 0; i++) {
                if (p.isOpen(i)) {
                    BlockRef b = p.block(i);
                    open.add(b);
                    budget -= b.length();
                }
            }
        }
        // the critical view is live: mark only after walking it
        open.removeIf(b -> !picker.requestBlock(s.id, b));
        return open;
    }

    /** Splits the blocks into contiguous runs and sends each run's range requests. */
    private void launch(WebSeed s, List<BlockRef> blocks, boolean urgent) {
        List<BlockRef> sorted = new ArrayList<>(blocks);
        sorted.sort(Comparator.comparingLong(this::offsetOf));
        int from = 0;
        for (int i = 1; i <= sorted.size(); i++) {
            boolean breaks = i == sorted.size()
                    || offsetOf(sorted.get(i)) != offsetOf(sorted.get(i - 1)) + sorted.get(i - 1).length()
                    || offsetOf(sorted.get(i)) + sorted.get(i).length() - offsetOf(sorted.get(from)) > RUN_BYTES;
            if (breaks) {
                startRun(s, List.copyOf(sorted.subList(from, i)), urgent);
                from = i;
            }
        }
    }

    private long offsetOf(BlockRef b) {
        return geometry.pieceStart(b.piece()) + b.begin();
    }

    private void startRun(WebSeed s, List<BlockRef> blocks, boolean urgent) {
        long offset = offsetOf(blocks.get(0));
        BlockRef last = blocks.get(blocks.size() - 1);
        int length = (int) (offsetOf(last) + last.length() - offset);
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(length, length);
        BlockRun run = new BlockRun(s, blocks, offset, length, buffer, urgent);
        s.inFlightBytes += length;
        List<FileRanges.FileRange> ranges = FileRanges.of(geometry, files, offset, length);
        for (FileRanges.FileRange r : ranges) {
            if (r.pad()) {
                buffer.setZero(r.at(), r.length()); // BEP 47: zeros, never asked for
            } else {
                run.pending++;
            }
        }
        for (FileRanges.FileRange r : ranges) {
            if (!r.pad()) {
                submit(new RangeGet(s.uriOf(r.file()), r.fileOffset(), r.length(), files.length(r.file()), buffer,
                        r.at(), urgent, 0, () -> wanted(run), (get, outcome) -> rangeDone(run, get, outcome)));
            }
        }
        if (run.pending == 0) {
            finish(run);
        }
    }

    /** A run's queued requests are worth sending while it, its seed and we are fine. */
    private boolean wanted(BlockRun run) {
        return !closed && run.failure == null && run.seed.ready(System.nanoTime());
    }

    private void submit(RangeGet get) {
        pools.computeIfAbsent(get.hostKey(), k -> new HostPool(loop, get.uri.getHost(), get.port(), get.tls())).submit(get);
    }

    private void rangeDone(BlockRun run, RangeGet get, Outcome outcome) {
        if (outcome instanceof Outcome.Redirect r) {
            if (closed) {
                outcome = new Outcome.Retry("closed");
            } else if (get.redirects >= MAX_REDIRECTS) {
                outcome = new Outcome.Drop("more than " + MAX_REDIRECTS + " redirects");
            } else if (!isHttp(r.to())) {
                outcome = new Outcome.Drop("redirected to " + r.to() + ": not http or https");
            } else {
                submit(get.at(r.to()));
                return;
            }
        }
        run.pending--;
        if (!(outcome instanceof Outcome.Done) && run.failure == null) {
            run.failure = outcome;
            WebSeed s = run.seed;
            if (!s.dropped && !closed) {
                for (BlockRef b : run.blocks) {
                    picker.requestDropped(s.id, b); // open again, for a peer or a later try
                }
                if (!(outcome instanceof Outcome.Cancelled)) {
                    failed(s, outcome);
                }
            }
        }
        if (run.pending == 0) {
            finish(run);
        }
    }

    /** Every request of the run ended: hand on its blocks, or just free the buffer. */
    private void finish(BlockRun run) {
        WebSeed s = run.seed;
        s.inFlightBytes -= run.length;
        try {
            if (run.failure != null || s.dropped || closed) {
                return;
            }
            s.succeeded();
            for (BlockRef b : run.blocks) {
                sink.blockReceived(s.id, b, run.buffer.retainedSlice((int) (offsetOf(b) - run.offset), b.length()));
            }
        } finally {
            run.buffer.release();
        }
        fill();
    }

    private void failed(WebSeed s, Outcome o) {
        if (o instanceof Outcome.Drop d) {
            drop(s, d.why());
        } else if (o instanceof Outcome.Retry r) {
            s.failed(System.nanoTime());
            LOG.log(System.Logger.Level.DEBUG, "web seed {0}: {1}; again in {2} s", s, r.why(),
                    WebSeed.backoffNanos(s.errorsInARow) / 1_000_000_000L);
        }
    }

    private void drop(WebSeed s, String why) {
        if (s.dropped) {
            return;
        }
        s.dropped = true;
        LOG.log(System.Logger.Level.WARNING, "web seed " + s + " dropped: " + why);
        picker.peerGone(s.id); // its outstanding blocks open again
    }

    /** The pieces' hash failed; {@code contributors} sent their blocks. A repeat offender goes. */
    public void hashFailed(Set<Integer> contributors) {
        for (WebSeed s : seeds) {
            if (contributors.contains(s.id) && ++s.hashFailures >= MAX_HASH_FAILURES) {
                drop(s, "sent data that failed the hash " + s.hashFailures + " times");
            }
        }
    }

    /** Once a second: requests that stalled fail (and back off), and room is filled. */
    public void tick() {
        long now = System.nanoTime();
        for (HostPool p : List.copyOf(pools.values())) {
            p.checkTimeouts(now, TIMEOUT_NANOS);
        }
        fill();
    }

    /** Closes every connection; runs in flight are dropped. */
    public void close() {
        closed = true;
        for (HostPool p : List.copyOf(pools.values())) {
            p.close();
        }
        pools.clear();
    }
}
