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
import torfs.transport.mse.Encryption;

/** Two of our clients with protocol encryption settings: what they agree on, the bytes arrive. */
class EncryptedDownloadTest {
    @TempDir
    Path tmp;

    private void download(Encryption seeding, Encryption leeching) throws Exception {
        Path seedDir = tmp.resolve("seed");
        Path leechDir = tmp.resolve("leech");
        Torrent t = TestTorrents.create(seedDir, "enc", 32768, new long[] {300_000, 70_000}, 1);
        try (Client seeder = Client.start(SeedToDownloadTest.on("127.0.0.2").withEncryption(seeding));
             Client leecher = Client.start(SeedToDownloadTest.on("127.0.0.1").withEncryption(leeching))) {
            seeder.add(t, seedDir);
            TorrentSession l = leecher.add(t, leechDir);
            l.addPeers(List.of(new InetSocketAddress("127.0.0.2", seeder.port())));
            l.whenComplete().get(60, TimeUnit.SECONDS);
            assertThat(l.verifiedSnapshot().isComplete()).isTrue();
            l.stop().get(30, TimeUnit.SECONDS);
        }
        for (int i = 0; i < 2; i++) {
            assertThat(TestTorrents.sha256(leechDir.resolve("enc/file" + i + ".bin")))
                    .isEqualTo(TestTorrents.sha256(seedDir.resolve("enc/file" + i + ".bin")));
        }
    }

    @Test
    @Timeout(90)
    void requireToRequireDownloadsOverRc4() throws Exception {
        download(Encryption.REQUIRE, Encryption.REQUIRE);
    }

    @Test
    @Timeout(90)
    void preferDialingADisabledSeedFallsBackToPlaintext() throws Exception {
        download(Encryption.DISABLE, Encryption.PREFER);
    }

    @Test
    @Timeout(90)
    void preferToPreferDownloads() throws Exception {
        download(Encryption.PREFER, Encryption.PREFER);
    }

    @Test
    @Timeout(60)
    void requireAndDisableNeverConnectEitherWay() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Torrent t = TestTorrents.create(seedDir, "enc", 32768, new long[] {100_000}, 1);
        for (Encryption[] pair : new Encryption[][] {{Encryption.DISABLE, Encryption.REQUIRE},
                {Encryption.REQUIRE, Encryption.DISABLE}}) {
            try (Client seeder = Client.start(SeedToDownloadTest.on("127.0.0.2").withEncryption(pair[0]));
                 Client leecher = Client.start(SeedToDownloadTest.on("127.0.0.1").withEncryption(pair[1]))) {
                seeder.add(t, seedDir);
                TorrentSession l = leecher.add(t, tmp.resolve("leech-" + pair[1]));
                l.addPeers(List.of(new InetSocketAddress("127.0.0.2", seeder.port())));
                Thread.sleep(2000);
                assertThat(l.verifiedSnapshot().cardinality()).as("%s seed, %s leech", pair[0], pair[1]).isZero();
                l.stop().get(30, TimeUnit.SECONDS);
            }
        }
    }
}
