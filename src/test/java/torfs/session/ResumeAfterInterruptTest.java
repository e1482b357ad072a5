package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.metainfo.Torrent;

class ResumeAfterInterruptTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void downloadStoppedHalfwayResumesWithoutFetchingVerifiedPiecesAgain() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Path leechDir = tmp.resolve("leech");
        Torrent t = TestTorrents.create(seedDir, "data", 65536, new long[] {3_000_000, 1_000_003}, 3);
        long total = t.totalLength();
        try (Client seeder = Client.start(SeedToDownloadTest.on("127.0.0.2"))) {
            seeder.add(t, seedDir);
            InetSocketAddress seedAddr = new InetSocketAddress("127.0.0.2", seeder.port());
            int verifiedAtStop;
            // slow enough (1 MB/s) to be caught in the middle
            try (Client first = Client.start(SeedToDownloadTest.on("127.0.0.1").withLimits(0, 1_000_000))) {
                TorrentSession s = first.add(t, leechDir);
                s.addPeers(List.of(seedAddr));
                while (s.verifiedSnapshot().cardinality() < t.pieceCount() / 2) {
                    Thread.sleep(20);
                }
                s.stop().get(30, TimeUnit.SECONDS);
                verifiedAtStop = s.verifiedSnapshot().cardinality();
                assertThat(s.isComplete()).isFalse();
            }
            try (Client second = Client.start(SeedToDownloadTest.on("127.0.0.1"))) {
                TorrentSession s = second.add(t, leechDir);
                int verifiedAtStart = s.verifiedSnapshot().cardinality();
                long leftAtStart = s.stats().left();
                assertThat(verifiedAtStart).isGreaterThanOrEqualTo(verifiedAtStop);
                s.addPeers(List.of(seedAddr));
                s.whenComplete().get(60, TimeUnit.SECONDS);
                s.stop().get(30, TimeUnit.SECONDS);
                // only the pieces missing at the restart came over the wire again
                assertThat(leftAtStart).isLessThan(total);
                assertThat(s.stats().downloaded()).isLessThanOrEqualTo(leftAtStart);
                assertThat(s.stats().downloaded()).isPositive();
            }
        }
        for (int i = 0; i < 2; i++) {
            assertThat(TestTorrents.sha256(leechDir.resolve("data/file" + i + ".bin")))
                    .isEqualTo(TestTorrents.sha256(seedDir.resolve("data/file" + i + ".bin")));
        }
    }
}
