package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;
import static torfs.session.SeedToDownloadTest.on;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.metainfo.Torrent;

/** Two of our clients over IPv6, and across families: what SeedToDownloadTest does on 127/8. */
class Ipv6DownloadTest {
    @TempDir
    Path tmp;

    private void download(ClientSettings seed, ClientSettings leech, String seedIp) throws Exception {
        Path seedDir = tmp.resolve("seed");
        Path leechDir = tmp.resolve("leech");
        Torrent t = TestTorrents.create(seedDir, "v6", 16384, new long[] {70_000, 1, 33_000}, 3);
        try (Client seeder = Client.start(seed); Client leecher = Client.start(leech)) {
            seeder.add(t, seedDir);
            TorrentSession l = leecher.add(t, leechDir);
            l.addPeers(List.of(new InetSocketAddress(seedIp, seeder.port())));
            l.whenComplete().get(60, TimeUnit.SECONDS);
            assertThat(l.verifiedSnapshot().isComplete()).isTrue();
            l.stop().get(30, TimeUnit.SECONDS);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(TestTorrents.sha256(leechDir.resolve("v6/file" + i + ".bin"))).as("file %d", i)
                    .isEqualTo(TestTorrents.sha256(seedDir.resolve("v6/file" + i + ".bin")));
        }
    }

    @Test
    @Timeout(120)
    void twoClientsBoundToIpv6LoopbackDownload() throws Exception {
        download(on("::1"), on("::1"), "::1");
    }

    @Test
    @Timeout(120)
    void aClientBoundToIpv4DialsAnIpv6SeedFromTheWildcard() throws Exception {
        download(on("::1"), on("127.0.0.1"), "::1");
    }

    @Test
    @Timeout(120)
    void aDualStackSeedServesAnIpv6Leecher() throws Exception {
        download(ClientSettings.defaults().withPort(0), on("::1"), "::1");
    }
}
