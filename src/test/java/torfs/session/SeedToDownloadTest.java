package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.metainfo.Torrent;

class SeedToDownloadTest {
    @TempDir
    Path tmp;

    static ClientSettings on(String ip) throws Exception {
        return ClientSettings.defaults().withPort(0).withBind(InetAddress.getByName(ip));
    }

    @Test
    @Timeout(120)
    void torfsSeedsAMultiFileTorrentToTorfs() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Path leechDir = tmp.resolve("leech");
        Torrent t = TestTorrents.create(seedDir, "multi", 32768,
                new long[] {100_000, 0, 1, 250_000, 40_000}, 1);
        try (Client seeder = Client.start(on("127.0.0.2"));
             Client leecher = Client.start(on("127.0.0.1"))) {
            TorrentSession s = seeder.add(t, seedDir);
            assertThat(s.isComplete()).isTrue();
            TorrentSession l = leecher.add(t, leechDir);
            assertThat(l.isComplete()).isFalse();
            l.addPeers(List.of(new InetSocketAddress("127.0.0.2", seeder.port())));
            l.whenComplete().get(60, TimeUnit.SECONDS);
            assertThat(l.verifiedSnapshot().isComplete()).isTrue();
            l.stop().get(30, TimeUnit.SECONDS);
        }
        for (int i = 0; i < 5; i++) {
            Path a = seedDir.resolve("multi/file" + i + ".bin");
            Path b = leechDir.resolve("multi/file" + i + ".bin");
            assertThat(TestTorrents.sha256(b)).as("file %d", i).isEqualTo(TestTorrents.sha256(a));
        }
    }

    @Test
    @Timeout(60)
    void singleTorrentClientDownloadsAndClosesWithItsSession() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Torrent t = TestTorrents.create(seedDir, "one", 16384, new long[] {100_000}, 2);
        try (Client seeder = Client.start(on("127.0.0.2"))) {
            seeder.add(t, seedDir);
            TorrentSession s = Client.startSingle(on("127.0.0.1"), t, tmp.resolve("leech"));
            s.addPeers(List.of(new InetSocketAddress("127.0.0.2", seeder.port())));
            s.whenComplete().get(30, TimeUnit.SECONDS);
            s.close();
            assertThat(s.stop()).isDone();
            // the client started for this session alone goes with it: its loop shuts down
            while (!s.loop().isTerminated()) {
                Thread.sleep(20); // the @Timeout guards a client left running
            }
            assertThat(s.loop().isTerminated()).isTrue();
        }
        assertThat(TestTorrents.sha256(tmp.resolve("leech/one/file0.bin")))
                .isEqualTo(TestTorrents.sha256(seedDir.resolve("one/file0.bin")));
    }
}
