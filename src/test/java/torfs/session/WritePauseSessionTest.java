package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.metainfo.Torrent;
import torfs.storage.PieceChecker;
import torfs.storage.PieceStore;

/**
 * A session whose file system fills up: it pauses, fails reads at once, and resumes on its own;
 * one whose file system refuses writes pauses the same way instead of fetching every block again.
 */
class WritePauseSessionTest {
    @TempDir
    Path tmp;

    /** Writes fail with ENOSPC while {@link #full}; {@link #free} is what the disk reports. */
    private volatile boolean full = true;
    private volatile long free;
    /** Writes fail with EROFS while set. */
    private volatile boolean readOnly;
    private final AtomicInteger failedWrites = new AtomicInteger();

    @Test
    @Timeout(60)
    void aFullDiskPausesFailsWaitingReadsAtOnceAndResumesWhenThereIsRoom() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Torrent t = TestTorrents.create(seedDir, "full", 32768, new long[] {24 * 32768 + 5}, 3);
        byte[] original = Files.readAllBytes(seedDir.resolve("full/file0.bin"));
        try (Client seeder = Client.start(SeedToDownloadTest.on("127.0.0.2"));
             Client leecher = Client.start(SeedToDownloadTest.on("127.0.0.1"))) {
            TorrentSession s = pausedDownload(t, seedDir, seeder, leecher,
                    "disk full at " + tmp.resolve("leech") + ": No space left on device");
            assertThat(s.verifiedSnapshot().cardinality()).isZero();

            full = false; // room again, as the next poll of the free space finds
            free = 1L << 30;
            s.whenComplete().get(30, TimeUnit.SECONDS);
            assertThat(s.isWritePaused()).isFalse();
            assertThat(s.stats().hashFailures()).as("failed writes are not hash failures").isZero();
            ByteBuffer all = ByteBuffer.allocate(original.length);
            s.readVerified(0, all);
            assertThat(all.array()).isEqualTo(original);
            s.stop().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(60)
    void aFileSystemThatRefusesWritesPausesTooInsteadOfFetchingEveryBlockAgain() throws Exception {
        full = false;
        readOnly = true;
        Path seedDir = tmp.resolve("seed");
        Torrent t = TestTorrents.create(seedDir, "ro", 32768, new long[] {24 * 32768 + 5}, 3);
        try (Client seeder = Client.start(SeedToDownloadTest.on("127.0.0.2"));
             Client leecher = Client.start(SeedToDownloadTest.on("127.0.0.1"))) {
            TorrentSession s = pausedDownload(t, seedDir, seeder, leecher,
                    "cannot write at " + tmp.resolve("leech") + ": /data/file0.bin: Read-only file system");
            int atPause = failedWrites.get();
            Thread.sleep(2500); // two ticks and more: no new requests, so no new writes
            assertThat(failedWrites.get()).as("writes after the pause began (the blocks in flight then)")
                    .isLessThanOrEqualTo(atPause + 24);
            assertThat(s.isWritePaused()).isTrue();
            s.stop().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Seeds {@code t} and downloads it into a {@link FillingStore} until the session pauses;
     * by then a read of a piece not on disk fails at once with {@code why}.
     */
    private TorrentSession pausedDownload(Torrent t, Path seedDir, Client seeder, Client leecher, String why)
            throws Exception {
        seeder.add(t, seedDir);
        TorrentSession s = leecher.add(t, tmp.resolve("leech"), PieceChecker.Progress.NONE,
                layout -> new FillingStore(PieceStore.open(layout)));
        s.addPeers(List.of(new InetSocketAddress("127.0.0.2", seeder.port())));
        await(s::isWritePaused);
        CompletableFuture<Void> read = s.whenVerified(20);
        assertThat(read).as("a read of a piece that cannot be stored fails at once").isCompletedExceptionally();
        assertThat(read.handle((v, e) -> e).get()).isInstanceOf(IOException.class).hasMessage(why);
        return s;
    }

    /** Waits for an event of the session; the test's timeout bounds it. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            Thread.sleep(10);
        }
    }

    /** The real store, but on a "disk" that fills and empties on the test's command. */
    private final class FillingStore implements PieceStore {
        private final PieceStore real;

        FillingStore(PieceStore real) {
            this.real = real;
        }

        @Override
        public void readAt(long globalOffset, ByteBuffer dst) throws IOException {
            real.readAt(globalOffset, dst);
        }

        @Override
        public void writeAt(long globalOffset, ByteBuffer src) throws IOException {
            if (full) {
                throw new IOException("No space left on device");
            }
            if (readOnly) {
                failedWrites.incrementAndGet();
                throw new java.nio.file.FileSystemException("/data/file0.bin: Read-only file system");
            }
            real.writeAt(globalOffset, src);
        }

        @Override
        public long freeBytes() {
            return free;
        }

        @Override
        public void flush() throws IOException {
            real.flush();
        }

        @Override
        public void close() throws IOException {
            real.close();
        }
    }
}
