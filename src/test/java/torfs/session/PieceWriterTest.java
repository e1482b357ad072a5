package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.geometry.Bitfield;
import torfs.geometry.BlockRef;
import torfs.geometry.PieceGeometry;
import torfs.storage.PieceStore;
import torfs.storage.PieceVerifier;
import torfs.storage.TestTorrents;

/** PieceWriter against a real store on disk: batching, in-order hashing, out-of-order fallback. */
@Timeout(60)
class PieceWriterTest {
    /** Pieces of 2 MiB: a piece fills more than one batch. */
    private static final int PIECE = 2 << 20;

    @TempDir
    Path dir;

    private final EventLoop loop = new DefaultEventLoop();
    private final DiskPool disk = new DiskPool(2, 64 << 20, 32 << 20);
    private final BlockingQueue<String> verdicts = new LinkedBlockingQueue<>();
    private final AtomicInteger diskTasks = new AtomicInteger();
    private TestTorrents.Built built;
    private PieceGeometry geometry;
    private PieceStore store;
    private ConcurrentBits verified;
    private PieceWriter writer;
    /** Bytes the verifier read back from the store to finish hashes. */
    private final java.util.concurrent.atomic.AtomicLong readBack = new java.util.concurrent.atomic.AtomicLong();
    /** Writes fail as on a full file system while set. */
    private volatile boolean diskFull;
    private final List<java.io.IOException> writeErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Flushes of the writer's store: only the writer's own, behind its writes. */
    private final AtomicInteger flushes = new AtomicInteger();

    private void open(int pieces, boolean bypassCache) {
        // the last piece is short and ends in a partial 4 KiB page: a buffered tail
        open(PIECE, 123_457, pieces, bypassCache);
    }

    private void open(int pieceLength, int lastPiece, int pieces, boolean bypassCache) {
        built = TestTorrents.single("w.bin", pieceLength, (pieces - 1) * pieceLength + lastPiece, pieces);
        geometry = PieceGeometry.of(built.torrent());
        store = bypassCache ? PieceStore.openBypassingCache(built.layout(dir)) : PieceStore.open(built.layout(dir));
        verified = new ConcurrentBits(new Bitfield(geometry.pieceCount()));
        PieceStore counting = new PieceStore() { // the verifier's view: counts what it reads back
            @Override
            public void readAt(long globalOffset, ByteBuffer dst) throws java.io.IOException {
                readBack.addAndGet(dst.remaining());
                store.readAt(globalOffset, dst);
            }

            @Override
            public void writeAt(long globalOffset, ByteBuffer src) {
                throw new AssertionError("the verifier does not write");
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        PieceStore writing = new PieceStore() { // the writer's view: fails while the disk is "full"
            @Override
            public void readAt(long globalOffset, ByteBuffer dst) throws java.io.IOException {
                store.readAt(globalOffset, dst);
            }

            @Override
            public void writeAt(long globalOffset, ByteBuffer src) throws java.io.IOException {
                if (diskFull) {
                    throw new java.io.IOException("No space left on device");
                }
                store.writeAligned(globalOffset, src);
            }

            @Override
            public void flush() throws java.io.IOException {
                flushes.incrementAndGet();
                store.flush();
            }

            @Override
            public void close() {
            }
        };
        writer = new PieceWriter(geometry, writing, new PieceVerifier(built.torrent(), counting), disk, loop, verified,
                diskTasks, (piece, ok, blame) -> verdicts.add(piece + ":" + ok + ":" + blame), () -> false, () -> { }, writeErrors::add);
    }

    @AfterEach
    void close() throws Exception {
        if (writer != null) {
            loop.submit(writer::stop).get(); // releases blocks a test left held (no leak report)
        }
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        disk.close();
        if (store != null) {
            store.close();
        }
    }

    @Test
    void piecesReceivedInOrderAreVerifiedAndStored() throws Exception {
        open(3, true);
        List<BlockRef> blocks = allBlocks();
        feed(blocks, false);
        assertThat(takeVerdicts(3)).containsExactlyInAnyOrder("0:true:true", "1:true:true", "2:true:true");
        assertThat(readBack.get()).as("in-order pieces are hashed from memory").isZero();
        assertStoredEqualsSource();
        assertThat(verified.get(0) && verified.get(1) && verified.get(2)).isTrue();
    }

    @Test
    void shuffledAndInterleavedBlocksStillHashRight() throws Exception {
        open(3, true);
        List<BlockRef> blocks = allBlocks();
        Collections.shuffle(blocks, new Random(7)); // pieces interleave; most blocks out of order
        feed(blocks, false);
        assertThat(takeVerdicts(3)).containsExactlyInAnyOrder("0:true:true", "1:true:true", "2:true:true");
        assertThat(readBack.get()).as("out-of-order rests are read back").isPositive();
        assertStoredEqualsSource();
    }

    @Test
    void theFilesAreFlushedBehindTheWritesNotOnlyAtTheEnd() throws Exception {
        // just over two flush intervals of 2 MiB pieces
        int pieces = (int) (2 * FlushBehind.DEFAULT_EVERY_BYTES / PIECE) + 1;
        open(pieces, true);
        feed(allBlocks(), false);
        takeVerdicts(pieces);
        awaitDiskIdle(); // the flushes are disk tasks: a stop waits for them
        assertThat(flushes.get()).as("one flush per interval written, one at a time").isBetween(1, 2);
        assertStoredEqualsSource();
    }

    @Test
    void lessThanAnIntervalIsLeftToTheFinalFlush() throws Exception {
        open(3, true);
        feed(allBlocks(), false);
        takeVerdicts(3);
        awaitDiskIdle();
        assertThat(flushes.get()).isZero();
    }

    @Test
    void reversedBlocksThroughThePageCacheToo() throws Exception {
        open(2, false);
        List<BlockRef> blocks = allBlocks();
        Collections.reverse(blocks);
        feed(blocks, true); // urgent: every block is its own batch
        assertThat(takeVerdicts(2)).containsExactlyInAnyOrder("0:true:true", "1:true:true");
        // each piece's first block came last: only it was hashed from memory
        long rest = geometry.pieceSize(0) + geometry.pieceSize(1) - 2L * PieceGeometry.BLOCK_SIZE;
        assertThat(readBack.get()).isEqualTo(rest);
        assertStoredEqualsSource();
    }

    @Test
    void aFailedWriteIsReportedAndFailsItsPieceWithoutBlame() throws Exception {
        open(2, true);
        diskFull = true;
        feed(allBlocks(), false);
        assertThat(takeVerdicts(2)).containsExactlyInAnyOrder("0:false:false", "1:false:false");
        assertThat(writeErrors).isNotEmpty().allSatisfy(e -> assertThat(e).hasMessage("No space left on device"));
        assertThat(verified.get(0) || verified.get(1)).isFalse();
    }

    @Test
    void failWaitingFailsTheReadsWaitingNowOnly() throws Exception {
        open(2, true);
        java.util.concurrent.CompletableFuture<Void> waiting = writer.whenVerified(0);
        java.io.IOException full = new java.io.IOException("disk full at /data");
        writer.failWaiting(full);
        assertThat(waiting).isCompletedExceptionally();
        assertThat(waiting.handle((v, e) -> e).get()).isSameAs(full);
        java.util.concurrent.CompletableFuture<Void> later = writer.whenVerified(0);
        feed(allBlocks(), false);
        takeVerdicts(2);
        assertThat(later.get(10, TimeUnit.SECONDS)).as("a later read still waits and gets its piece").isNull();
    }

    @Test
    void aCorruptBlockFailsOnlyItsPieceAndBlamesThePeers() throws Exception {
        open(3, true);
        List<BlockRef> blocks = allBlocks();
        BlockRef bad = geometry.block(1, 70); // in the second batch of piece 1
        for (BlockRef ref : blocks) {
            ByteBuf data = bytesOf(ref);
            if (ref.equals(bad)) {
                data.setByte(100, data.getByte(100) ^ 1);
            }
            write(ref, data, isLast(ref), false);
        }
        assertThat(takeVerdicts(3)).containsExactlyInAnyOrder("0:true:true", "1:false:true", "2:true:true");
        assertThat(verified.get(1)).isFalse();
    }

    @Test
    void aFullBatchIsWrittenBeforeThePieceCompletes() throws Exception {
        open(3, true);
        int perBatch = PieceWriter.BATCH_BYTES / PieceGeometry.BLOCK_SIZE;
        for (int b = 0; b < perBatch; b++) {
            write(geometry.block(0, b), bytesOf(geometry.block(0, b)), false, false);
        }
        awaitDiskIdle();
        ByteBuffer head = ByteBuffer.allocate(PieceWriter.BATCH_BYTES);
        store.readAt(0, head);
        assertThat(head.array()).isEqualTo(Arrays.copyOfRange(built.data(), 0, PieceWriter.BATCH_BYTES));
        assertThat(verdicts).isEmpty();
    }

    @Test
    void heldBytesOfManyPiecesAreBoundedAndWrittenTogether() throws Exception {
        open(7, true);
        // 0.75 MiB of each of the first six pieces: no piece fills a batch, together they pass HELD_MAX
        int blocksEach = (3 << 20) / 4 / PieceGeometry.BLOCK_SIZE;
        for (int p = 0; p < 6; p++) {
            for (int b = 0; b < blocksEach; b++) {
                write(geometry.block(p, b), bytesOf(geometry.block(p, b)), false, false);
            }
        }
        awaitDiskIdle();
        // crossing 4 MiB (in piece 5) handed every piece's held blocks on; piece 5's later ones wait
        for (int p = 0; p < 5; p++) {
            ByteBuffer got = ByteBuffer.allocate(blocksEach * PieceGeometry.BLOCK_SIZE);
            store.readAt(geometry.pieceStart(p), got);
            int from = (int) geometry.pieceStart(p);
            assertThat(got.array()).as("piece %d", p)
                    .isEqualTo(Arrays.copyOfRange(built.data(), from, from + got.capacity()));
        }
    }

    @Test
    void stopReleasesHeldBlocks() throws Exception {
        open(2, true);
        ByteBuf data = bytesOf(geometry.block(0, 0));
        write(geometry.block(0, 0), data, false, false);
        loop.submit(writer::stop).get();
        assertThat(data.refCnt()).isZero();
        assertThat(writer.whenVerified(0)).isCompletedExceptionally();
    }

    /**
     * A stop waits for the disk-task count to reach zero, then closes the store: the count must
     * not touch zero between a piece's last write and its hash check. A watcher thread looks for
     * that gap over many one-block pieces (it cannot see a gap that is not there: after the
     * check the piece is verified before the count falls).
     */
    @Test
    void diskTasksDoNotFallToZeroBetweenAPiecesLastWriteAndItsHashCheck() throws Exception {
        open(PieceGeometry.BLOCK_SIZE, 1234, 3000, false);
        java.util.concurrent.atomic.AtomicInteger handedOn = new java.util.concurrent.atomic.AtomicInteger(-1);
        java.util.concurrent.atomic.AtomicInteger gapAt = new java.util.concurrent.atomic.AtomicInteger(-1);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread watcher = new Thread(() -> {
            while (!done.get() && gapAt.get() < 0) {
                int p = handedOn.get();
                // the count first: once the check is over the piece is verified, so no false alarm
                if (p >= 0 && diskTasks.get() == 0 && !verified.get(p)) {
                    gapAt.set(p);
                }
            }
        }, "disk-task-watcher");
        watcher.start();
        try {
            for (int p = 0; p < geometry.pieceCount() && gapAt.get() < 0; p++) {
                BlockRef ref = geometry.block(p, 0);
                write(ref, bytesOf(ref), true, false);
                handedOn.set(p);
                assertThat(takeVerdicts(1)).containsExactly(p + ":true:true");
            }
        } finally {
            done.set(true);
            watcher.join();
        }
        assertThat(gapAt.get()).as("piece whose check ran with no disk task counted").isEqualTo(-1);
    }

    @Test
    void aWaiterThatGivesUpIsDropped() throws Exception {
        open(2, true);
        java.util.concurrent.CompletableFuture<Void> cancelled = writer.whenVerified(0);
        java.util.concurrent.CompletableFuture<Void> timedOut = writer.whenVerified(1);
        java.util.concurrent.CompletableFuture<Void> waiting = writer.whenVerified(1);
        cancelled.cancel(false); // what a read that timed out does
        timedOut.completeExceptionally(new java.util.concurrent.TimeoutException());
        assertThat(writer.waitingReads()).isEqualTo(1);
        assertThat(waiting).isNotDone();
    }

    private List<BlockRef> allBlocks() {
        List<BlockRef> blocks = new ArrayList<>();
        for (int p = 0; p < geometry.pieceCount(); p++) {
            for (int b = 0; b < geometry.blocksInPiece(p); b++) {
                blocks.add(geometry.block(p, b));
            }
        }
        return blocks;
    }

    /** Writes blocks in the given order; a piece's last block is the last of it fed. */
    private void feed(List<BlockRef> blocks, boolean urgent) throws Exception {
        int[] left = new int[geometry.pieceCount()];
        for (int p = 0; p < left.length; p++) {
            left[p] = geometry.blocksInPiece(p);
        }
        for (BlockRef ref : blocks) {
            write(ref, bytesOf(ref), --left[ref.piece()] == 0, urgent);
        }
    }

    private boolean isLast(BlockRef ref) {
        return ref.begin() / PieceGeometry.BLOCK_SIZE == geometry.blocksInPiece(ref.piece()) - 1;
    }

    private void write(BlockRef ref, ByteBuf data, boolean last, boolean urgent) throws Exception {
        loop.submit(() -> writer.write(ref, data, last, urgent)).get();
    }

    private ByteBuf bytesOf(BlockRef ref) {
        int from = (int) (geometry.pieceStart(ref.piece()) + ref.begin());
        return Unpooled.directBuffer(ref.length()).writeBytes(built.data(), from, ref.length());
    }

    private List<String> takeVerdicts(int n) throws InterruptedException {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String v = verdicts.poll(30, TimeUnit.SECONDS);
            assertThat(v).as("verdict %d of %d", i + 1, n).isNotNull();
            got.add(v);
        }
        return got;
    }

    private void awaitDiskIdle() throws InterruptedException {
        while (diskTasks.get() > 0) {
            Thread.sleep(5);
        }
    }

    private void assertStoredEqualsSource() throws Exception {
        awaitDiskIdle();
        ByteBuffer all = ByteBuffer.allocate(built.data().length);
        store.readAt(0, all);
        assertThat(all.array()).isEqualTo(built.data());
    }
}
