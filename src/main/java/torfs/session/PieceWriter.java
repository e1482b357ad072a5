package torfs.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.BooleanSupplier;
import torfs.geometry.BlockRef;
import torfs.geometry.PieceGeometry;
import torfs.storage.PieceStore;
import torfs.storage.PieceVerifier;

/**
 * The download's way to disk: each received block is written on the disk pool, and the disk
 * thread that writes a piece's last block hashes the piece at once (no round trip through the
 * loop), marks it verified and wakes the reads waiting for it; the loop hears the verdict after
 * (to announce it, or reset and blame). Blocks of a piece a read waits for go ahead of the
 * background's queued writes.
 *
 * <p>{@link #write} is called on the torrent's loop; {@link #whenVerified} from any thread.
 */
final class PieceWriter {
    private static final System.Logger LOG = System.getLogger(PieceWriter.class.getName());
    /** Added to a piece's pending writes once its last block is in: hash after the last write. */
    private static final int HASH_WHEN_WRITTEN = 1 << 24;

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
    /** Block writes queued or running per piece, plus HASH_WHEN_WRITTEN once all are in. */
    private final AtomicIntegerArray pendingWrites;
    private final Set<Integer> writeFailed = ConcurrentHashMap.newKeySet();
    /** Reads waiting for a piece; completed by the disk thread that verified it. */
    private final Map<Integer, List<CompletableFuture<Void>>> waiters = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    /**
     * @param readingPaused whether the peers' channels stopped reading (any thread)
     * @param drained       run on the loop when a write finds reading paused and the pool's
     *                      queued writes below its low water mark
     */
    PieceWriter(PieceGeometry geometry, PieceStore store, PieceVerifier verifier, DiskPool disk, EventLoop loop,
                ConcurrentBits verified, AtomicInteger diskTasks, Verdict verdict, BooleanSupplier readingPaused,
                Runnable drained) {
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
        this.pendingWrites = new AtomicIntegerArray(geometry.pieceCount());
    }

    /**
     * On the loop: queues the block's write (takes ownership of {@code data}). {@code last}: it
     * completes the piece, which is hashed after its last write. {@code urgent}: a read waits.
     */
    void write(BlockRef ref, ByteBuf data, boolean last, boolean urgent) {
        int piece = ref.piece();
        pendingWrites.addAndGet(piece, last ? 1 + HASH_WHEN_WRITTEN : 1);
        int length = ref.length();
        disk.addPendingWrite(length);
        long offset = geometry.pieceStart(piece) + ref.begin();
        diskTasks.incrementAndGet();
        Runnable task = () -> {
            try {
                store.writeAt(offset, data.nioBuffer());
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "torfs: write failed: " + e.getMessage());
                writeFailed.add(piece);
            } finally {
                data.release();
                disk.writeDone(length);
                diskTasks.decrementAndGet();
            }
            // exactly one writer sees the count fall to the bare flag: the piece's last write
            if (pendingWrites.addAndGet(piece, -1) == HASH_WHEN_WRITTEN) {
                pendingWrites.addAndGet(piece, -HASH_WHEN_WRITTEN);
                check(piece);
            }
            // back to the loop only when it matters: reading paused and the pool caught up
            if (readingPaused.getAsBoolean() && disk.drained()) {
                loop.execute(drained);
            }
        };
        if (urgent) {
            disk.executeUrgent(task); // ahead of the background's queued writes
        } else {
            disk.executor().execute(task);
        }
    }

    /** On the disk thread that wrote the piece's last block: hash it, wake its readers. */
    private void check(int piece) {
        boolean ok = false;
        boolean blame = false;
        diskTasks.incrementAndGet();
        try {
            if (!writeFailed.remove(piece)) {
                blame = true;
                ok = verifier.verify(piece);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "torfs: cannot read piece " + piece + ": " + e.getMessage());
        }
        if (ok) {
            verified.set(piece); // readers go at once; the loop announces it after
            wake(piece);
        }
        boolean result = ok;
        boolean fromPeers = blame;
        loop.execute(() -> {
            diskTasks.decrementAndGet();
            verdict.hashed(piece, result, fromPeers);
        });
    }

    /** Completes when the piece is verified; fails with a CancellationException on {@link #stop}. */
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
        // verified or stopped meanwhile: whoever completes first wins, nothing is lost
        if (verified.get(piece)) {
            f.complete(null);
        } else if (stopped) {
            f.completeExceptionally(new CancellationException("torrent stopped"));
        }
        if (f.isDone()) {
            waiters.computeIfPresent(piece, (k, l) -> {
                l.remove(f);
                return l.isEmpty() ? null : l;
            });
        }
        return f;
    }

    /** Completes the piece's waiters (it is verified). */
    private void wake(int piece) {
        List<CompletableFuture<Void>> w = waiters.remove(piece);
        if (w != null) {
            w.forEach(f -> f.complete(null));
        }
    }

    /** Fails every waiter, now and later. */
    void stop() {
        stopped = true;
        for (Integer piece : List.copyOf(waiters.keySet())) {
            List<CompletableFuture<Void>> w = waiters.remove(piece);
            if (w != null) {
                w.forEach(f -> f.completeExceptionally(new CancellationException("torrent stopped")));
            }
        }
    }
}
