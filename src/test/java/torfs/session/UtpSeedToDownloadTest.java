package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.metainfo.Torrent;
import torfs.transport.TransportMode;
import torfs.transport.utp.UtpChannel;

/** Two of our clients over uTP (BEP 29) on loopback: the peer pipeline runs on uTP channels unchanged. */
class UtpSeedToDownloadTest {
    @TempDir
    Path tmp;

    private static ClientSettings on(String ip, TransportMode mode) throws Exception {
        return SeedToDownloadTest.on(ip).withTransport(mode);
    }

    private void download(TransportMode seederMode, TransportMode leecherMode) throws Exception {
        Path seedDir = tmp.resolve("seed");
        Path leechDir = tmp.resolve("leech");
        Torrent t = TestTorrents.create(seedDir, "multi", 65536, new long[] {3_000_000, 1, 500_000}, 3);
        try (Client seeder = Client.start(on("127.0.0.2", seederMode));
             Client leecher = Client.start(on("127.0.0.1", leecherMode))) {
            seeder.add(t, seedDir);
            TorrentSession l = leecher.add(t, leechDir);
            l.addPeers(List.of(new InetSocketAddress("127.0.0.2", seeder.port())));
            l.whenComplete().get(90, TimeUnit.SECONDS);
            assertThat(l.verifiedSnapshot().isComplete()).isTrue();
            boolean overUtp = l.loop().submit(() -> l.peerChannels().stream()
                    .allMatch(c -> c instanceof UtpChannel)).get();
            assertThat(overUtp).as("every peer connection is uTP").isTrue();
            l.stop().get(30, TimeUnit.SECONDS);
        }
        for (int i = 0; i < 3; i++) {
            Path a = seedDir.resolve("multi/file" + i + ".bin");
            Path b = leechDir.resolve("multi/file" + i + ".bin");
            assertThat(TestTorrents.sha256(b)).as("file %d", i).isEqualTo(TestTorrents.sha256(a));
        }
    }

    @Test
    @Timeout(120)
    void twoClientsDownloadOverUtpOnly() throws Exception {
        download(TransportMode.UTP, TransportMode.UTP);
    }

    @Test
    @Timeout(120)
    void bothFallsBackToUtpWhenThePeerRefusesTcp() throws Exception {
        download(TransportMode.UTP, TransportMode.BOTH);
    }

    @Test
    @Timeout(30)
    void aUtpOnlyClientRefusesTcp() throws Exception {
        try (Client c = Client.start(on("127.0.0.2", TransportMode.UTP))) {
            assertThat(c.port()).isPositive();
            try (Socket s = new Socket()) {
                org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> s.connect(new InetSocketAddress("127.0.0.2", c.port()), 5000))
                        .isInstanceOf(java.net.ConnectException.class);
            }
        }
    }
}
