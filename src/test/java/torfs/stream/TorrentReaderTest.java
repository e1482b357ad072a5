package torfs.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import torfs.geometry.PieceRange;
import torfs.metainfo.Torrent;
import torfs.picker.Priority;

@Timeout(30)
class TorrentReaderTest {
    private static final int KIB = 1024;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private static ReaderConfig config() {
        return ReaderConfig.defaults().withReadTimeout(Duration.ofSeconds(20));
    }

    @Test
    void readStraddlingPiecesAndFilesReturnsExactBytes() throws Exception {
        Torrent t = TestTorrents.multiFile("m", 16 * KIB, new TestTorrents.Files()
                .file("a", 10_000).file("b/c", 30_000).file("d", 50_000).list());
        FakePieceSource src = FakePieceSource.complete(t);
        try (TorrentReader r = new TorrentReader(src, config())) {
            assertThat(r.read(5_000, 40_000)).isEqualTo(TestTorrents.bytes(5_000, 40_000));
            assertThat(r.read(0, 90_000)).isEqualTo(TestTorrents.bytes(0, 90_000));
            assertThat(r.read(89_990, 100)).hasSize(10).isEqualTo(TestTorrents.bytes(89_990, 10));
            assertThat(r.read(90_000, 100)).isEmpty();
        }
    }

    @Test
    void handleReadFillsTheBufferFromItsPositionClippedToTheFile() throws Exception {
        Torrent t = TestTorrents.multiFile("m", 16 * KIB, new TestTorrents.Files()
                .file("a", 40_000).file("b", 50_000).list());
        FakePieceSource src = FakePieceSource.complete(t);
        try (TorrentReader r = new TorrentReader(src, config());
             ReadHandle h = r.open(0, 40_000)) {
            java.nio.ByteBuffer dst = java.nio.ByteBuffer.allocateDirect(40_010).position(10);
            int n = h.read(3_000, 100_000, () -> false, dst);
            assertThat(n).isEqualTo(37_000); // clipped at the end of file "a", across three pieces
            assertThat(dst.position()).isEqualTo(10 + 37_000);
            byte[] got = new byte[n];
            dst.get(10, got);
            assertThat(got).isEqualTo(TestTorrents.bytes(3_000, 37_000));
            java.nio.ByteBuffer untouched = java.nio.ByteBuffer.allocate(10);
            assertThat(h.read(40_000, 10, () -> false, untouched)).isZero(); // outside the handle
            assertThat(untouched.position()).isZero();
            java.nio.ByteBuffer small = java.nio.ByteBuffer.allocate(500);
            assertThat(h.read(100, 10_000, () -> false, small)).isEqualTo(500); // at most what fits
            assertThat(small.array()).isEqualTo(TestTorrents.bytes(100, 500));
        }
    }

    @Test
    void offsetsPast4GiBAreServed() throws Exception {
        long size = 5L << 30;
        int pl = 4 << 20;
        Torrent t = TestTorrents.singleFile("big", size, pl);
        FakePieceSource src = new FakePieceSource(t);
        long at = (4L << 30) + pl - 1000; // straddles pieces 1024 and 1025, both past 2^32
        src.verify((int) (at / pl));
        src.verify((int) (at / pl) + 1);
        src.verify(src.geometry().pieceCount() - 1);
        try (TorrentReader r = new TorrentReader(src, config())) {
            assertThat(r.read(at, 5000)).isEqualTo(TestTorrents.bytes(at, 5000));
            assertThat(r.read(size - 10, 100)).isEqualTo(TestTorrents.bytes(size - 10, 10));
        }
    }

    @Test
    void aReadThatMustWaitTellsItsThreadFirstAndOneOfPiecesAtHandDoesNot() throws Exception {
        int pl = 1 << 20;
        Torrent t = TestTorrents.singleFile("f", 4L * pl, pl);
        FakePieceSource src = new FakePieceSource(t);
        src.verify(0);
        AtomicInteger told = new AtomicInteger();
        AtomicBoolean toldBeforeWaiting = new AtomicBoolean();
        try (TorrentReader r = new TorrentReader(src, config())) {
            Future<byte[]> read = pool.submit(() -> {
                BeforeWait.onThisThread(() -> {
                    told.incrementAndGet();
                    toldBeforeWaiting.set(!src.isVerified(1));
                });
                try {
                    byte[] first = r.read(0, 64 * KIB); // at hand: nothing to tell
                    assertThat(told).hasValue(0);
                    assertThat(first).isEqualTo(TestTorrents.bytes(0, 64 * KIB));
                    return r.read(pl - KIB, 2 * KIB); // piece 1 is missing: waits
                } finally {
                    BeforeWait.onThisThread(null);
                }
            });
            waitUntil(() -> told.get() == 1);
            src.verify(1);
            assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(TestTorrents.bytes(pl - KIB, 2 * KIB));
            assertThat(told).hasValue(1);
            assertThat(toldBeforeWaiting).isTrue();
        }
    }

    @Test
    void concurrentReadersOfOneMissingPieceAllGetTheirBytesWhenItArrives() throws Exception {
        int pl = 1 << 20;
        Torrent t = TestTorrents.singleFile("f", 4L * pl, pl);
        FakePieceSource src = new FakePieceSource(t);
        try (TorrentReader r = new TorrentReader(src, config())) {
            List<Future<byte[]>> reads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                long off = 2L * pl + i * 64L * KIB;
                reads.add(pool.submit(() -> r.read(off, 64 * KIB)));
            }
            waitUntil(() -> src.wantLog().size() >= 8); // all eight are blocked on piece 2
            src.verify(2);
            for (int i = 0; i < 8; i++) {
                long off = 2L * pl + i * 64L * KIB;
                assertThat(reads.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(TestTorrents.bytes(off, 64 * KIB));
            }
            assertThat(src.storeReads(2)).isEqualTo(8); // each read its own slice: nothing read twice
        }
    }

    @Test
    void missingPieceIsWantedNowSinceTheReadBlockedAndForgottenAfter() throws Exception {
        Torrent t = TestTorrents.singleFile("f", 100 * KIB, 16 * KIB);
        FakePieceSource src = new FakePieceSource(t);
        src.verify(2);
        try (TorrentReader r = new TorrentReader(src, config())) {
            long before = System.nanoTime();
            Future<byte[]> read = pool.submit(() -> r.read(20 * KIB, 40 * KIB)); // pieces 1..3
            waitUntil(() -> !src.wishes().isEmpty());
            FakePieceSource.Wish w = src.wishes().values().iterator().next();
            assertThat(w.priority()).isEqualTo(Priority.NOW);
            assertThat(w.range()).isEqualTo(new PieceRange(1, 4));
            // needed since the read began to wait (the read timeout bounds the wait, not the need)
            assertThat(w.deadlineNanos()).isBetween(before, System.nanoTime());
            src.verify(1);
            Thread.sleep(50);
            assertThat(read.isDone()).isFalse();
            src.verify(3);
            assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(TestTorrents.bytes(20 * KIB, 40 * KIB));
            assertThat(src.wishes()).isEmpty();
        }
    }

    @Test
    void aReadThatTimesOutLetsGoOfItsWait() {
        Torrent t = TestTorrents.singleFile("f", 100 * KIB, 16 * KIB);
        FakePieceSource src = new FakePieceSource(t);
        try (TorrentReader r = new TorrentReader(src, config().withReadTimeout(Duration.ofMillis(200)))) {
            assertThatThrownBy(() -> r.read(0, 10)).isInstanceOf(ReadFailure.class);
            // a piece that never comes must not keep every timed-out read's future alive
            assertThat(src.pendingWaits()).isZero();
        }
    }

    @Test
    void scheduledVerificationReleasesBlockedRead() throws Exception {
        Torrent t = TestTorrents.singleFile("f", 100 * KIB, 16 * KIB);
        FakePieceSource src = new FakePieceSource(t).serveNowAfter(100);
        try (TorrentReader r = new TorrentReader(src, config())) {
            assertThat(r.read(0, 100 * KIB)).isEqualTo(TestTorrents.bytes(0, 100 * KIB));
        }
    }

    @Test
    void timeoutFailsTheRead() {
        Torrent t = TestTorrents.singleFile("f", 100 * KIB, 16 * KIB);
        FakePieceSource src = new FakePieceSource(t);
        try (TorrentReader r = new TorrentReader(src, config().withReadTimeout(Duration.ofMillis(200)))) {
            assertThatThrownBy(() -> r.read(0, 10))
                    .isInstanceOfSatisfying(ReadFailure.class,
                            f -> assertThat(f.reason()).isEqualTo(ReadFailure.Reason.TIMEOUT));
            assertThat(src.wishes()).isEmpty();
        }
    }

    @Test
    void retryRightAfterTimeoutFailsWithoutWaitingAgainButNotOnceThePieceArrives() throws Exception {
        Torrent t = TestTorrents.singleFile("f", 100 * KIB, 16 * KIB);
        FakePieceSource src = new FakePieceSource(t);
        try (TorrentReader r = new TorrentReader(src, config().withReadTimeout(Duration.ofSeconds(30)))) {
            long soon = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            assertThatThrownBy(() -> r.read(0, 10, soon, () -> false)).isInstanceOf(ReadFailure.class);
            // the kernel's immediate retry: a 30 s timeout, yet it fails at once, asking nobody
            assertThatThrownBy(() -> r.read(5, 10))
                    .isInstanceOfSatisfying(ReadFailure.class,
                            f -> assertThat(f.reason()).isEqualTo(ReadFailure.Reason.TIMEOUT));
            assertThat(src.wishes()).isEmpty();
            // a piece elsewhere still waits normally, and the timed-out piece reads once verified
            src.verify(0);
            assertThat(r.read(0, 10)).isEqualTo(TestTorrents.bytes(0, 10));
        }
    }

    @Test
    void interruptEndsTheWaitWithInterrupted() throws Exception {
        Torrent t = TestTorrents.singleFile("f", 100 * KIB, 16 * KIB);
        FakePieceSource src = new FakePieceSource(t);
        try (TorrentReader r = new TorrentReader(src, config())) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean stillInterrupted = new AtomicBoolean();
            Thread reader = new Thread(() -> {
                try {
                    r.read(0, 10);
                } catch (ReadFailure e) {
                    failure.set(e);
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                }
            });
            reader.start();
            waitUntil(() -> !src.wishes().isEmpty());
            reader.interrupt();
            reader.join(5_000);
            assertThat(reader.isAlive()).isFalse();
            assertThat(failure.get()).isInstanceOfSatisfying(ReadFailure.class,
                    f -> assertThat(f.reason()).isEqualTo(ReadFailure.Reason.INTERRUPTED));
            assertThat(stillInterrupted).isTrue();
        }
    }

    @Test
    void cancelCheckEndsTheWaitWithInterrupted() throws Exception {
        Torrent t = TestTorrents.singleFile("f", 100 * KIB, 16 * KIB);
        FakePieceSource src = new FakePieceSource(t);
        AtomicBoolean cancel = new AtomicBoolean();
        try (TorrentReader r = new TorrentReader(src, config())) {
            Future<byte[]> read = pool.submit(() -> r.read(0, 10, System.nanoTime() + 20_000_000_000L, cancel::get));
            waitUntil(() -> !src.wishes().isEmpty());
            cancel.set(true);
            assertFailure(read, ReadFailure.Reason.INTERRUPTED);
        }
    }

    @Test
    void closingTheReaderReleasesBlockedReadsAndLaterReadsFail() throws Exception {
        Torrent t = TestTorrents.singleFile("f", 100 * KIB, 16 * KIB);
        FakePieceSource src = new FakePieceSource(t);
        TorrentReader r = new TorrentReader(src, config());
        Future<byte[]> a = pool.submit(() -> r.read(0, 10));
        Future<byte[]> b = pool.submit(() -> r.read(50 * KIB, 10));
        waitUntil(() -> src.wishes().size() == 2);
        r.close();
        assertFailure(a, ReadFailure.Reason.CLOSED);
        assertFailure(b, ReadFailure.Reason.CLOSED);
        assertThatThrownBy(() -> r.read(0, 10)).isInstanceOfSatisfying(ReadFailure.class,
                f -> assertThat(f.reason()).isEqualTo(ReadFailure.Reason.CLOSED));
    }

    @Test
    void closingTheSourceReleasesBlockedReads() throws Exception {
        Torrent t = TestTorrents.singleFile("f", 100 * KIB, 16 * KIB);
        FakePieceSource src = new FakePieceSource(t);
        try (TorrentReader r = new TorrentReader(src, config())) {
            Future<byte[]> a = pool.submit(() -> r.read(0, 10));
            waitUntil(() -> !src.wishes().isEmpty());
            src.close();
            assertFailure(a, ReadFailure.Reason.CLOSED);
        }
    }

    @Test
    void readaheadStartsAtTwoPiecesDoublesOnSequentialReadsAndIsCapped() throws Exception {
        int pl = 4 * 1024 * KIB; // two pieces are more than Readahead.INITIAL_BYTES
        Torrent t = TestTorrents.singleFile("f", 100L * pl, pl);
        FakePieceSource src = FakePieceSource.complete(t);
        try (TorrentReader r = new TorrentReader(src, config().withReadaheadMax(16L * pl));
             ReadHandle h = r.open(0, t.totalLength())) {
            List<Long> windows = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                h.read((long) i * pl, 4096);
                windows.add(h.window());
            }
            assertThat(windows).containsExactly(2L * pl, 4L * pl, 8L * pl, 16L * pl, 16L * pl, 16L * pl,
                    16L * pl, 16L * pl);
            assertThat(h.wanted()).isEqualTo(new PieceRange(7, 24));
            assertThat(src.wishes().get(h).priority()).isEqualTo(Priority.READAHEAD);
        }
    }

    @Test
    void smallPiecesStartWithTheInitialWindow() throws Exception {
        int pl = 16 * KIB;
        Torrent t = TestTorrents.singleFile("f", 1000L * pl, pl);
        FakePieceSource src = FakePieceSource.complete(t);
        try (TorrentReader r = new TorrentReader(src, config());
             ReadHandle h = r.open(0, t.totalLength())) {
            h.read(0, pl);
            assertThat(h.window()).isEqualTo(Readahead.INITIAL_BYTES);
            assertThat(h.wanted()).isEqualTo(new PieceRange(1, 1 + (int) (Readahead.INITIAL_BYTES / pl)));
        }
    }

    @Test
    void smallSequentialReadsGrowOncePerPiece() throws Exception {
        int pl = 4 * 1024 * KIB;
        Torrent t = TestTorrents.singleFile("f", 100L * pl, pl);
        FakePieceSource src = FakePieceSource.complete(t);
        try (TorrentReader r = new TorrentReader(src, config());
             ReadHandle h = r.open(0, t.totalLength())) {
            for (int i = 0; i < 4; i++) { // four 16 KiB reads inside piece 0
                h.read(i * 16L * KIB, 16 * KIB);
            }
            // (pieces large enough that two of them exceed Readahead.INITIAL_BYTES)
            assertThat(h.window()).isEqualTo(2L * pl);
            h.read(pl, 16 * KIB); // enters piece 1
            assertThat(h.window()).isEqualTo(4L * pl);
        }
    }

    @Test
    void seekResetsTheWindow() throws Exception {
        int pl = 4 * 1024 * KIB;
        Torrent t = TestTorrents.singleFile("f", 100L * pl, pl);
        FakePieceSource src = FakePieceSource.complete(t);
        try (TorrentReader r = new TorrentReader(src, config());
             ReadHandle h = r.open(0, t.totalLength())) {
            for (int i = 0; i < 5; i++) {
                h.read((long) i * pl, 4096);
            }
            assertThat(h.window()).isEqualTo(16L * pl); // capped at 64 MiB
            h.read(70L * pl, 100);
            assertThat(h.window()).isEqualTo(2L * pl);
            assertThat(h.wanted()).isEqualTo(new PieceRange(70, 73));
        }
    }

    @Test
    void windowIsClippedToTheHandlesFile() throws Exception {
        int pl = 16 * KIB;
        Torrent t = TestTorrents.multiFile("m", pl, new TestTorrents.Files()
                .file("a", 10L * pl).file("b", 10L * pl).list());
        FakePieceSource src = FakePieceSource.complete(t);
        try (TorrentReader r = new TorrentReader(src, config());
             ReadHandle h = r.open(0, 10L * pl)) {
            for (int i = 0; i < 9; i++) {
                h.read((long) i * pl, pl);
            }
            assertThat(h.wanted()).isEqualTo(new PieceRange(9, 10));
            h.read(9L * pl, pl);
            assertThat(h.wanted()).isEqualTo(PieceRange.EMPTY);
            assertThat(h.read(10L * pl, 10)).isEmpty(); // outside the handle's file
        }
    }

    @Test
    void windowsOfSeveralHandlesCombineAndCloseDropsOne() throws Exception {
        int pl = 4 * 1024 * KIB; // windows of two pieces
        Torrent t = TestTorrents.singleFile("f", 100L * pl, pl);
        FakePieceSource src = FakePieceSource.complete(t);
        try (TorrentReader r = new TorrentReader(src, config())) {
            ReadHandle a = r.open(0, t.totalLength());
            ReadHandle b = r.open(0, t.totalLength());
            a.read(0, pl);
            b.read(50L * pl, pl);
            assertThat(src.effectivePriority(1)).isEqualTo(Priority.READAHEAD);
            assertThat(src.effectivePriority(52)).isEqualTo(Priority.READAHEAD);
            assertThat(src.effectivePriority(30)).isEqualTo(Priority.NONE);
            a.close();
            assertThat(src.effectivePriority(1)).isEqualTo(Priority.NONE);
            assertThat(src.effectivePriority(52)).isEqualTo(Priority.READAHEAD);
            b.close();
            assertThat(src.wishes()).isEmpty();
        }
    }

    @Test
    void provenWindowsLearnWhereRunsOnTheirFileEndAcrossHandles() throws Exception {
        int pl = 16 * KIB;
        int run = 64 * pl; // 1 MiB ranges, each read through a handle of its own, like dd
        Torrent t = TestTorrents.multiFile("m", pl, new TestTorrents.Files()
                .file("a", 1000L * pl).file("b", 1000L * pl).list());
        FakePieceSource src = FakePieceSource.complete(t);
        ReaderConfig proven = new ReaderConfig(Duration.ofSeconds(20), 64L * pl, true);
        try (TorrentReader r = new TorrentReader(src, proven)) {
            int[] starts = {100, 500, 300};
            for (int i = 0; i < starts.length; i++) {
                int last = 0;
                try (ReadHandle h = r.open(0, 1000L * pl)) {
                    for (int p = starts[i]; p < starts[i] + 64; p++) {
                        h.read((long) p * pl, pl);
                        last = Math.max(last, h.wanted().end());
                    }
                }
                if (i < 2) {
                    assertThat(last).as("run %d: half of the run ahead", i).isEqualTo(starts[i] + 64 + 32);
                } else {
                    assertThat(last).as("a third run stops at its predicted end").isEqualTo(starts[i] + 64);
                }
            }
            try (ReadHandle other = r.open(1000L * pl, 2000L * pl)) { // another file has not learned
                for (int p = 1100; p < 1164; p++) {
                    other.read((long) p * pl, pl);
                }
                assertThat(other.wanted().end()).isEqualTo(1164 + 32);
            }
        }
    }

    @Test
    void handleReadOfMissingPieceWantsNowAndReadahead() throws Exception {
        int pl = 16 * KIB;
        Torrent t = TestTorrents.singleFile("f", 1000L * pl, pl);
        FakePieceSource src = new FakePieceSource(t).serveNowAfter(50);
        try (TorrentReader r = new TorrentReader(src, config());
             ReadHandle h = r.open(0, t.totalLength())) {
            assertThat(h.read(5L * pl, 100)).isEqualTo(TestTorrents.bytes(5L * pl, 100));
            assertThat(src.wantLog()).extracting(FakePieceSource.Wish::priority)
                    .contains(Priority.NOW, Priority.READAHEAD);
            // the initial window past the read: 4 MiB of 16 KiB pieces
            assertThat(src.wishes().get(h).range()).isEqualTo(new PieceRange(5, 5 + 257));
        }
    }

    private static void assertFailure(Future<byte[]> read, ReadFailure.Reason reason) throws Exception {
        try {
            read.get(5, TimeUnit.SECONDS);
            throw new AssertionError("read succeeded");
        } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause()).isInstanceOfSatisfying(ReadFailure.class,
                    f -> assertThat(f.reason()).isEqualTo(reason));
        }
    }

    static void waitUntil(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not reached");
            }
            Thread.sleep(5);
        }
    }

}
