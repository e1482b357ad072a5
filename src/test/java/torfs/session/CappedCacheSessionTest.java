package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.geometry.Bitfield;
import torfs.metainfo.Torrent;
import torfs.picker.Priority;
import torfs.storage.DataLayout;
import torfs.storage.HolePunch;
import torfs.storage.PieceChecker;
import torfs.storage.PieceStore;
import torfs.storage.ResumeStore;

/**
 * A lazy session with a capped cache, downloading from a real torfs seeder over loopback:
 * pieces past the cap leave the disk least recently read first, a leased piece stays, an evicted
 * piece read again is fetched and verified again, and the resume state saved at the stop claims
 * exactly what is on disk.
 */
class CappedCacheSessionTest {
    private static final int PIECE = 32768;

    @TempDir
    Path tmp;

    private static void fetch(TorrentSession s, int piece) throws Exception {
        SessionSteps.fetch(s, piece);
        // the readers are woken (and the verified bit set, which the piece map shows) before the
        // loop stores the piece in the cache (its use stamp) in the task that tells the picker:
        // wait for that, or a read or another torrent's piece after this could be older than the
        // store (CI once saw b's piece 0 stored before a's piece 3, and evicted first)
        SessionSteps.until(() -> {
            try {
                return s.loop().submit(() -> s.picker.have().get(piece)).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                return false;
            }
        }, "piece " + piece + " stored");
    }

    private static byte[] read(TorrentSession s, int piece) throws Exception {
        assertThat(s.tryLease(piece)).as("piece %d leased", piece).isTrue();
        try {
            ByteBuffer b = ByteBuffer.allocate(PIECE);
            s.readVerified((long) piece * PIECE, b);
            return b.array();
        } finally {
            s.release(piece);
        }
    }

    @Test
    @Timeout(120)
    void piecesPastTheCapLeaveTheDiskAndComeBackWhenReadAgain() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Torrent t = TestTorrents.create(seedDir, "capped", PIECE, new long[] {12L * PIECE}, 21);
        byte[] original = Files.readAllBytes(seedDir.resolve("capped/file0.bin"));
        Path leechDir = tmp.resolve("leech");
        try (Client seeder = Client.start(SeedToDownloadTest.on("127.0.0.2"));
             Client leecher = Client.start(SeedToDownloadTest.on("127.0.0.1"))) {
            seeder.add(t, seedDir);
            TorrentSession s = leecher.add(t, leechDir);
            s.setDefaultPriority(Priority.NONE);
            s.limitCache(new CacheBudget(4L * PIECE), HolePunch.open(s.layout()));
            s.addPeers(List.of(new InetSocketAddress("127.0.0.2", seeder.port())));

            for (int p = 0; p < 8; p++) {
                fetch(s, p);
                assertThat(read(s, p)).isEqualTo(Arrays.copyOfRange(original, p * PIECE, (p + 1) * PIECE));
            }
            SessionSteps.until(() -> s.verifiedSnapshot().toString().equals("000011110000"), "0-3 evicted, 4-7 kept: "
                    + s.verifiedSnapshot());
            Path file = s.layout().pathOf(0);
            SessionSteps.until(() -> {
                try {
                    byte[] disk = Files.readAllBytes(file);
                    return allZero(disk, 0, 4 * PIECE);
                } catch (Exception e) {
                    return false;
                }
            }, "pieces 0-3 punched out");
            assertThat(s.tryLease(0)).as("an evicted piece cannot be leased").isFalse();

            // a read of piece 4 makes it the most recent: 5 goes first; a lease on 6 keeps it
            read(s, 4);
            assertThat(s.tryLease(6)).isTrue();
            fetch(s, 0); // read again: fetched and verified again
            assertThat(read(s, 0)).isEqualTo(Arrays.copyOfRange(original, 0, PIECE));
            fetch(s, 8);
            SessionSteps.until(() -> s.verifiedSnapshot().toString().equals("100010101000"),
                    "5 and 7 evicted, leased 6 kept: " + s.verifiedSnapshot());
            s.release(6);

            s.stop().get(30, TimeUnit.SECONDS);
            Bitfield kept = s.verifiedSnapshot();
            DataLayout layout = DataLayout.of(t, leechDir);
            try (PieceStore store = PieceStore.open(layout)) {
                ResumeStore.Loaded loaded = ResumeStore.load(layout, store, 1, PieceChecker.Progress.NONE, w -> { });
                assertThat(loaded.trusted()).isTrue();
                assertThat(loaded.have().toString()).as("the state claims what is on disk").isEqualTo(kept.toString());
                byte[] disk = Files.readAllBytes(file);
                for (int p = kept.nextSet(0); p >= 0; p = kept.nextSet(p + 1)) {
                    assertThat(Arrays.copyOfRange(disk, p * PIECE, (p + 1) * PIECE))
                            .isEqualTo(Arrays.copyOfRange(original, p * PIECE, (p + 1) * PIECE));
                }
            }
        }
    }

    @Test
    @Timeout(120)
    void twoTorrentsShareOneCapAndAStoppedOneGivesItsBytesBack() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Torrent ta = TestTorrents.create(seedDir.resolve("a"), "a", PIECE, new long[] {6L * PIECE}, 31);
        Torrent tb = TestTorrents.create(seedDir.resolve("b"), "b", PIECE, new long[] {6L * PIECE}, 32);
        byte[] originalB = Files.readAllBytes(seedDir.resolve("b/b/file0.bin"));
        CacheBudget budget = new CacheBudget(4L * PIECE);
        try (Client seeder = Client.start(SeedToDownloadTest.on("127.0.0.2"));
             Client leecher = Client.start(SeedToDownloadTest.on("127.0.0.1"))) {
            seeder.add(ta, seedDir.resolve("a"));
            seeder.add(tb, seedDir.resolve("b"));
            TorrentSession a = leecher.add(ta, tmp.resolve("leech"));
            TorrentSession b = leecher.add(tb, tmp.resolve("leech"));
            for (TorrentSession s : List.of(a, b)) {
                s.setDefaultPriority(Priority.NONE);
                s.limitCache(budget, HolePunch.open(s.layout()));
                s.addPeers(List.of(new InetSocketAddress("127.0.0.2", seeder.port())));
            }
            for (int p = 0; p < 4; p++) {
                fetch(a, p);
            }
            fetch(b, 0);
            fetch(b, 1);
            SessionSteps.until(() -> a.verifiedSnapshot().toString().equals("001100")
                    && b.verifiedSnapshot().toString().equals("110000"),
                    "a's oldest two gave way to b: " + a.verifiedSnapshot() + " " + b.verifiedSnapshot());
            read(a, 2); // a's piece 2 is the newest now: a's 3 goes for b's 2
            fetch(b, 2);
            SessionSteps.until(() -> a.verifiedSnapshot().toString().equals("001000")
                    && b.verifiedSnapshot().toString().equals("111000"),
                    "a's least recently read went: " + a.verifiedSnapshot() + " " + b.verifiedSnapshot());
            assertThat(read(b, 2)).isEqualTo(Arrays.copyOfRange(originalB, 2 * PIECE, 3 * PIECE));
            SessionSteps.until(() -> budget.residentBytes() == 4L * PIECE, "the cap full: " + budget.residentBytes());

            b.stop().get(30, TimeUnit.SECONDS); // removed from the mount: its data stays, uncounted
            assertThat(budget.residentBytes()).isEqualTo(PIECE);
            for (int p : new int[] {0, 1, 3}) {
                fetch(a, p);
            }
            assertThat(a.verifiedSnapshot().toString()).as("nothing of a evicted").isEqualTo("111100");
            assertThat(b.verifiedSnapshot().toString()).as("b's data kept").isEqualTo("111000");
            // the loop counts a stored piece just after its readers were woken
            SessionSteps.until(() -> budget.residentBytes() == 4L * PIECE, "a alone fills the cap: " + budget.residentBytes());
            assertThat(a.verifiedSnapshot().toString()).as("still nothing of a evicted").isEqualTo("111100");
        }
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
