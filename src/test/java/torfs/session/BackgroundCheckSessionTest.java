package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.geometry.Bitfield;
import torfs.geometry.PieceRange;
import torfs.metainfo.Torrent;
import torfs.picker.Priority;
import torfs.storage.DataLayout;
import torfs.storage.PieceChecker;
import torfs.storage.PieceStore;
import torfs.storage.ResumeState;

/**
 * A torrent added over data nobody checked (another client's, no resume state) with the check in
 * the background: the session starts before a piece is read from disk, a piece on disk is
 * served without any peer, and only the wrong and missing pieces are fetched.
 */
class BackgroundCheckSessionTest {
    private static final int PIECE = 16384;

    @TempDir
    Path tmp;

    @Test
    @Timeout(60)
    void piecesOnDiskAreServedAndOnlyWrongOrMissingOnesAreFetched() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Path leechDir = tmp.resolve("leech");
        Torrent t = TestTorrents.create(seedDir, "present", PIECE, new long[] {300_000, 200_000}, 3);
        Files.createDirectories(leechDir.resolve("present"));
        for (String f : List.of("file0.bin", "file1.bin")) {
            Files.copy(seedDir.resolve("present/" + f), leechDir.resolve("present/" + f), StandardCopyOption.COPY_ATTRIBUTES);
        }
        try (RandomAccessFile f = new RandomAccessFile(leechDir.resolve("present/file0.bin").toFile(), "rw")) {
            f.seek(3L * PIECE + 100);
            int b = f.read();
            f.seek(3L * PIECE + 100);
            f.write(~b); // piece 3 is wrong on disk
        }
        try (RandomAccessFile f = new RandomAccessFile(leechDir.resolve("present/file1.bin").toFile(), "rw")) {
            f.setLength(100_000); // pieces 24..30 (from byte 400,000) are missing
        }
        int pieces = t.pieceCount();
        try (Client seeder = Client.start(SeedToDownloadTest.on("127.0.0.2"));
             Client leecher = Client.start(SeedToDownloadTest.on("127.0.0.1"))) {
            seeder.add(t, seedDir);
            leecher.checkInBackground(true);
            // every read of the leecher's store waits for the gate: a check before the start
            // would hold add() (and the @Timeout fail the test)
            CountDownLatch gate = new CountDownLatch(1);
            TorrentSession s = leecher.add(t, leechDir, PieceChecker.Progress.NONE, layout -> gated(layout, gate));
            assertThat(s.isChecking()).isTrue();
            assertThat(s.verifiedSnapshot().isEmpty()).isTrue();
            Object reader = new Object();
            s.want(reader, new PieceRange(20, 21), Priority.NOW, System.nanoTime(), 0);
            CompletableFuture<Void> read = s.whenVerified(20);
            assertThat(read).isNotDone();
            gate.countDown();
            read.get(10, TimeUnit.SECONDS); // on disk: no peer needed
            while (s.isChecking()) {
                Thread.sleep(10); // the @Timeout guards a check that never ends
            }
            Bitfield v = s.verifiedSnapshot();
            assertThat(v.get(3)).as("the wrong piece").isFalse();
            assertThat(v.countIn(24, pieces)).as("missing pieces").isZero();
            assertThat(v.cardinality()).isEqualTo(pieces - 1 - (pieces - 24));
            assertThat(s.isComplete()).isFalse();
            assertThat(s.stats().downloaded()).as("nothing fetched without a peer").isZero();

            s.addPeers(List.of(new InetSocketAddress("127.0.0.2", seeder.port())));
            s.whenComplete().get(30, TimeUnit.SECONDS);
            long fetched = s.stats().downloaded();
            assertThat(fetched).as("only the wrong and missing pieces")
                    .isGreaterThanOrEqualTo(PIECE + 100_000L).isLessThan(2L * PIECE + 100_000L + PIECE);
            s.stop().get(30, TimeUnit.SECONDS);
        }
        for (String f : List.of("file0.bin", "file1.bin")) {
            assertThat(TestTorrents.sha256(leechDir.resolve("present/" + f))).as(f)
                    .isEqualTo(TestTorrents.sha256(seedDir.resolve("present/" + f)));
        }
        ResumeState saved = ResumeState.decode(Files.readAllBytes(DataLayout.of(t, leechDir).resumeFile()));
        assertThat(saved.have().isComplete()).as("saved once the check ended").isTrue();
    }

    /** The real store, its reads held until {@code gate} opens. */
    private static PieceStore gated(DataLayout layout, CountDownLatch gate) {
        PieceStore real = PieceStore.open(layout);
        return (PieceStore) Proxy.newProxyInstance(PieceStore.class.getClassLoader(), new Class<?>[] {PieceStore.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("readAt") && !gate.await(20, TimeUnit.SECONDS)) {
                        throw new java.io.IOException("the test never opened the gate");
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
