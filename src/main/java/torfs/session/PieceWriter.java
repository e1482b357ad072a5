package torfs.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import torfs.geometry.BlockRef;
import torfs.geometry.PieceGeometry;
import torfs.metainfo.PieceDigest;
import torfs.storage.DirectWrites;
import torfs.storage.PieceStore;
import torfs.storage.PieceVerifier;

/**
 * The download's way to disk. Received blocks are held per piece and handed to the disk pool
 * in batches (the piece's last block, a block a read waits for, or {@link #BATCH_BYTES} of one
 * piece), so a disk thread writes contiguous blocks with one call and hashes them from memory
 * in piece order; only bytes that arrived out of order are read back to finish the hash. The
 * thread that writes a piece's last batch checks the hash at once (no round trip through the
 * loop), marks it verified and wakes the reads waiting for it; the loop hears the verdict after
 * (to announce it, or reset and blame). Batches a read waits for go ahead of queued ones.
 *
 * <p>{@link #write} is called on the torrent's loop; {@link #whenVerified} from any thread.
 */
final class PieceWriter {
    private static final System.Logger LOG = System.getLogger(PieceWriter.class.getName());
    /** A piece's held blocks go to disk once they reach this many bytes: one write call. */
    static final int BATCH_BYTES = 1 << 20;
    /** Held bytes of all pieces together; past it every piece's blocks go to disk. */
    static final long HELD_MAX = 4 << 20;
    /** Per disk thread: contiguous blocks are gathered here and written with one call. */
    private static final ThreadLocal<ByteBuffer> GATHER =
            ThreadLocal.withInitial(() -> DirectWrites.alignedBuffer(BATCH_BYTES));

    /** The loop learns a piece's hash result. */
    interface Verdict {
        /** On the loop. {@code blame}: the data came from peers (not a failed write). */
        void hashed(int piece, boolean ok, boolean blame);
    }

    private final PieceGeometry geometry;
    private final PieceStore store;
    private final PieceVerifier verifier;
    private final DiskPool disk;
    private final EventLoop loop;
    private final ConcurrentBits verified;
    private final AtomicInteger diskTasks;
    private final Verdict verdict;
    private final BooleanSupplier readingPaused;
    private final Runnable drained;
    private final Consumer<IOException> writeErrors;
    /** On the loop: pieces whose last block has not arrived, with the blocks not yet handed on. */
    private final Map<Integer, Assembly> assemblies = new HashMap<>();
    /** On the loop: bytes held in {@link #assemblies}. */
    private long held;
    /** Reads waiting for a piece; completed by the disk thread that verified it. */
    private final Map<Integer, List<CompletableFuture<Void>>> waiters = new ConcurrentHashMap<>();
    /** When the written bytes are flushed in the background, so the stop's flush is short. */
    private final FlushBehind flushBehind = new FlushBehind(FlushBehind.DEFAULT_EVERY_BYTES);
    private volatile boolean stopped;

    /**
     * @param readingPaused whether the peers' channels stopped reading (any thread)
     * @param drained       run on the loop when a write finds reading paused and the pool's
     *                      queued writes below its low water mark
     * @param writeErrors   told of each failed write, on the disk thread (a full disk: the
     *                      session pauses); the piece's verdict is then a failure without blame
     */
    PieceWriter(PieceGeometry geometry, PieceStore store, PieceVerifier verifier, DiskPool disk, EventLoop loop,
                ConcurrentBits verified, AtomicInteger diskTasks, Verdict verdict, BooleanSupplier readingPaused,
                Runnable drained, Consumer<IOException> writeErrors) {
        this.geometry = geometry;
        this.store = store;
        this.verifier = verifier;
        this.disk = disk;
        this.loop = loop;
        this.verified = verified;
        this.diskTasks = diskTasks;
        this.verdict = verdict;
        this.readingPaused = readingPaused;
        this.drained = drained;
        this.writeErrors = writeErrors;
    }

    /**
     * On the loop: takes the block (and ownership of {@code data}). {@code last}: it completes
     * the piece, which is hashed once written. {@code urgent}: a read waits for the piece.
     */
    void write(BlockRef ref, ByteBuf data, boolean last, boolean urgent) {
        int piece = ref.piece();
        Assembly a = assemblies.computeIfAbsent(piece, Assembly::new);
        a.held.add(new Block(ref.begin(), data));
        a.heldBytes += ref.length();
        held += ref.length();
        if (last) {
            assemblies.remove(piece);
            handOn(a, true, urgent);
        } else if (urgent || a.heldBytes >= BATCH_BYTES) {
            handOn(a, false, urgent);
        } else if (held > HELD_MAX) {
            for (Assembly other : assemblies.values()) {
                if (other.heldBytes > 0) {
                    handOn(other, false, false);
                }
            }
        }
    }

    /** On the loop: queues the piece's held blocks as one batch for the disk pool. */
    private void handOn(Assembly a, boolean finishing, boolean urgent) {
        Batch batch = new Batch(a.held, a.heldBytes, finishing);
        held -= a.heldBytes;
        a.held = new ArrayList<>();
        a.heldBytes = 0;
        disk.addPendingWrite(batch.bytes);
        diskTasks.incrementAndGet();
        a.batches.add(batch);
        Runnable task = () -> drain(a);
        if (urgent) {
            disk.executeUrgent(task); // ahead of the background's queued batches
        } else {
            disk.executor().execute(task);
        }
    }

    /**
     * On a disk thread: processes the piece's queued batches in order, one thread at a time.
     * A thread that finds another at work leaves its batch to it; the worker looks again after
     * letting go, so no batch is left behind.
     */
    private void drain(Assembly a) {
        while (!a.batches.isEmpty()) {
            if (!a.working.tryLock()) {
                return;
            }
            try {
                Batch b;
                while ((b = a.batches.poll()) != null) {
                    process(a, b);
                }
            } finally {
                a.working.unlock();
            }
        }
    }

    /** Writes a batch, hashes what continues the piece's in-order prefix, checks a finished piece. */
    private void process(Assembly a, Batch b) {
        List<Block> blocks = b.blocks;
        blocks.sort(Comparator.comparingInt(Block::begin));
        try {
            writeGathered(a, blocks);
            if (flushBehind.wrote(b.bytes)) {
                flushInBackground();
            }
        } catch (IOException e) {
            a.writeFailed = true;
            writeErrors.accept(e);
        } finally {
            for (Block block : blocks) {
                block.data.release();
            }
            disk.writeDone(b.bytes);
        }
        try {
            if (b.finishing) {
                check(a);
            }
        } finally {
            // only now: the check counts itself first, so a stop never sees zero in between
            diskTasks.decrementAndGet();
        }
        // back to the loop only when it matters: reading paused and the pool caught up
        if (readingPaused.getAsBoolean() && disk.drained()) {
            loop.execute(drained);
        }
    }

    /**
     * Writes blocks sorted by offset, each run of contiguous ones gathered into one aligned
     * buffer and written with one call (around the page cache when the store does that). A
     * block that continues the piece's in-order prefix is hashed from the gather buffer just
     * after its copy, while it is still in the CPU's cache: one pass over the bytes, not two.
     */
    private void writeGathered(Assembly a, List<Block> blocks) throws IOException {
        ByteBuffer gather = GATHER.get();
        long pieceStart = geometry.pieceStart(a.piece);
        int i = 0;
        while (i < blocks.size()) {
            int begin = blocks.get(i).begin;
            gather.clear();
            int end = begin;
            while (i < blocks.size() && blocks.get(i).begin == end
                    && blocks.get(i).data.readableBytes() <= gather.remaining()) {
                ByteBuf data = blocks.get(i).data;
                int at = gather.position();
                int length = data.readableBytes();
                gather.put(data.nioBuffer());
                if (end == a.hashedUpTo) {
                    a.sha1.update(gather.slice(at, length));
                    a.hashedUpTo += length;
                }
                end += length;
                i++;
            }
            store.writeAligned(pieceStart + begin, gather.flip());
            torfs.log.StartTrace.mark("first block written");
        }
    }

    /**
     * Flushes the store on the pool's flush thread, then the next flush if enough was written
     * meanwhile. Counted as a disk task: a stop waits for it before its own flush and the close.
     * A failure is left to the resume save's flush, which reports it.
     */
    private void flushInBackground() {
        diskTasks.incrementAndGet();
        try {
            disk.flusher().execute(() -> {
                try {
                    store.flush();
                } catch (IOException | RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "flush behind the writes: " + e);
                } finally {
                    if (flushBehind.flushed() && !stopped) {
                        flushInBackground(); // counted before this one uncounts: no gap at zero
                    }
                    diskTasks.decrementAndGet();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            diskTasks.decrementAndGet(); // the client is closing: its stop flushes
        }
    }

    /** On the disk thread that wrote the piece's last batch: check the hash, wake its readers. */
    private void check(Assembly a) {
        int piece = a.piece;
        boolean ok = false;
        boolean blame = false;
        diskTasks.incrementAndGet();
        try {
            if (!a.writeFailed) {
                blame = true;
                ok = verifier.isHashOf(piece, verifier.finishHash(piece, a.sha1, a.hashedUpTo));
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "torfs: cannot read piece " + piece + ": " + e.getMessage());
        }
        if (ok) {
            verified.set(piece); // readers go at once; the loop announces it after
            torfs.log.StartTrace.mark("first piece verified");
            wake(piece);
        }
        boolean result = ok;
        boolean fromPeers = blame;
        loop.execute(() -> {
            diskTasks.decrementAndGet();
            verdict.hashed(piece, result, fromPeers);
        });
    }

    /** A received block: its offset in the piece and its bytes. */
    private record Block(int begin, ByteBuf data) {
    }

    /** Blocks of one piece handed to the disk pool together. */
    private record Batch(List<Block> blocks, long bytes, boolean finishing) {
    }

    /** One piece being received: blocks held on the loop, batches queued for disk, its hash so far. */
    private static final class Assembly {
        final int piece;
        /** On the loop. */
        List<Block> held = new ArrayList<>();
        long heldBytes;
        final Queue<Batch> batches = new ConcurrentLinkedQueue<>();
        /** Held by the one disk thread processing the batches; guards the fields below. */
        final ReentrantLock working = new ReentrantLock();
        final PieceDigest sha1 = PieceDigest.create();
        /** The digest has consumed the piece's bytes [0, hashedUpTo). */
        int hashedUpTo;
        boolean writeFailed;

        Assembly(int piece) {
            this.piece = piece;
        }
    }

    /**
     * Completes when the piece is verified; fails with a CancellationException on {@link #stop}.
     * Each call gets its own future; cancelling it (a read that gave up) forgets it.
     */
    CompletableFuture<Void> whenVerified(int piece) {
        if (verified.get(piece)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        waiters.compute(piece, (k, l) -> {
            List<CompletableFuture<Void>> list = l == null ? new ArrayList<>() : l;
            list.add(f);
            return list;
        });
        // however it ends (verified, stopped, or cancelled by a read that gave up), it leaves
        f.whenComplete((v, e) -> waiters.computeIfPresent(piece, (k, l) -> {
            l.remove(f);
            return l.isEmpty() ? null : l;
        }));
        // verified or stopped meanwhile: whoever completes first wins, nothing is lost
        if (verified.get(piece)) {
            f.complete(null);
        } else if (stopped) {
            f.completeExceptionally(new CancellationException("torrent stopped"));
        }
        return f;
    }

    /** Reads waiting for pieces. */
    int waitingReads() {
        return waiters.values().stream().mapToInt(List::size).sum();
    }

    /** The piece was found right on disk ({@link BackgroundCheck}): verified, its readers woken. */
    void verifiedOnDisk(int piece) {
        verified.set(piece);
        wake(piece);
    }

    /** Completes the piece's waiters (it is verified). */
    private void wake(int piece) {
        List<CompletableFuture<Void>> w = waiters.remove(piece);
        if (w != null) {
            w.forEach(f -> f.complete(null));
        }
    }

    /** On the loop: drops the held blocks and fails every waiter, now and later. */
    void stop() {
        stopped = true;
        for (Assembly a : assemblies.values()) {
            a.held.forEach(b -> b.data.release()); // unverified partial pieces: nothing to keep
        }
        assemblies.clear();
        held = 0;
        failWaiting(new CancellationException("torrent stopped"));
    }

    /** Fails the reads waiting now for {@code piece} (found missing while nobody can fetch it). */
    void failWaiting(int piece, Throwable why) {
        List<CompletableFuture<Void>> w = waiters.remove(piece);
        if (w != null) {
            w.forEach(f -> f.completeExceptionally(why));
        }
    }

    /** Fails the reads waiting now (the disk is full: their pieces cannot be stored). */
    void failWaiting(Throwable why) {
        for (Integer piece : List.copyOf(waiters.keySet())) {
            List<CompletableFuture<Void>> w = waiters.remove(piece);
            if (w != null) {
                w.forEach(f -> f.completeExceptionally(why));
            }
        }
    }
}
