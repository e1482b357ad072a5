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

/** A download with one honest torfs seeder and one hostile peer still completes, correctly. */
class HostilePeerTest {
    @TempDir
    Path tmp;

    private Torrent torrent;
    private Path seedDir;

    private Torrent makeTorrent() throws Exception {
        seedDir = tmp.resolve("seed");
        torrent = TestTorrents.create(seedDir, "data", 65536, new long[] {1_500_000, 700_001}, 7);
        return torrent;
    }

    /** Downloads from the honest seeder (127.0.0.2) and the fake peer (127.0.0.3) at once. */
    private Client downloadWith(FakePeer fake, Client seeder, Path leechDir) throws Exception {
        Client leecher = Client.start(SeedToDownloadTest.on("127.0.0.1"));
        TorrentSession l = leecher.add(torrent, leechDir);
        // the fake peer first: it gets the first requests
        l.addPeers(List.of(new InetSocketAddress("127.0.0.3", fake.port())));
        Thread.sleep(300);
        l.addPeers(List.of(new InetSocketAddress("127.0.0.2", seeder.port())));
        l.whenComplete().get(60, TimeUnit.SECONDS);
        return leecher;
    }

    private void assertSameData(Path leechDir) throws Exception {
        for (int i = 0; i < 2; i++) {
            assertThat(TestTorrents.sha256(leechDir.resolve("data/file" + i + ".bin")))
                    .isEqualTo(TestTorrents.sha256(seedDir.resolve("data/file" + i + ".bin")));
        }
    }

    @Test
    @Timeout(90)
    void peerSendingCorruptBlocksIsBannedAndTheDownloadCompletes() throws Exception {
        makeTorrent();
        Path leechDir = tmp.resolve("leech");
        try (Client seeder = Client.start(SeedToDownloadTest.on("127.0.0.2"));
             FakePeer fake = new FakePeer("127.0.0.3", torrent, FakePeer.Behaviour.CORRUPT)) {
            seeder.add(torrent, seedDir);
            try (Client leecher = downloadWith(fake, seeder, leechDir)) {
                assertThat(fake.blocksSent.get()).isPositive();
                assertThat(leecher.isBanned("127.0.0.3")).isTrue();
                assertThat(leecher.isBanned("127.0.0.2")).isFalse();
            }
        }
        assertSameData(leechDir);
    }

    @Test
    @Timeout(90)
    void peerSendingA4GiBLengthPrefixIsDroppedAndTheDownloadCompletes() throws Exception {
        makeTorrent();
        Path leechDir = tmp.resolve("leech");
        try (Client seeder = Client.start(SeedToDownloadTest.on("127.0.0.2"));
             FakePeer fake = new FakePeer("127.0.0.3", torrent, FakePeer.Behaviour.HUGE_PREFIX)) {
            seeder.add(torrent, seedDir);
            try (Client leecher = downloadWith(fake, seeder, leechDir)) {
                assertThat(fake.connections.get()).isPositive();
                assertThat(fake.closedByRemote.get()).isEqualTo(fake.connections.get());
            }
        }
        assertSameData(leechDir);
    }

    @Test
    @Timeout(90)
    void silentPeerThatUnchokesAndNeverAnswersDoesNotStallTheDownload() throws Exception {
        makeTorrent();
        Path leechDir = tmp.resolve("leech");
        try (Client seeder = Client.start(SeedToDownloadTest.on("127.0.0.2"));
             FakePeer fake = new FakePeer("127.0.0.3", torrent, FakePeer.Behaviour.SILENT)) {
            seeder.add(torrent, seedDir);
            // the silent peer is dialled first and gets the first requests: completing means
            // they were requested again from the honest seeder
            try (Client leecher = downloadWith(fake, seeder, leechDir)) {
                assertThat(fake.connections.get()).isPositive();
            }
        }
        assertSameData(leechDir);
    }
}
