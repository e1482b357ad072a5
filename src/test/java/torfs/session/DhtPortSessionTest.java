package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.metainfo.Torrent;
import torfs.picker.Priority;

/** Client.useDht, the seam for a DHT node: the DHT bit, our PORT message, theirs to the consumer. */
class DhtPortSessionTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(60)
    void bothRunningADhtTellEachOtherTheirNodes() throws Exception {
        Path seedDir = tmp.resolve("a");
        Torrent t = TestTorrents.create(seedDir, "dht", 16384, new long[] {50_000}, 4);
        CompletableFuture<InetSocketAddress> seenByA = new CompletableFuture<>();
        CompletableFuture<InetSocketAddress> seenByB = new CompletableFuture<>();
        try (Client a = Client.start(SeedToDownloadTest.on("127.0.0.1"));
             Client b = Client.start(SeedToDownloadTest.on("127.0.0.2"))) {
            a.useDht(7001, seenByA::complete);
            b.useDht(7002, seenByB::complete);
            a.add(t, seedDir);
            TorrentSession sb = b.add(t, tmp.resolve("b"));
            sb.setDefaultPriority(Priority.NONE);
            sb.addPeers(List.of(new InetSocketAddress("127.0.0.1", a.port())));
            assertThat(seenByA.get(30, TimeUnit.SECONDS)).isEqualTo(new InetSocketAddress("127.0.0.2", 7002));
            assertThat(seenByB.get(30, TimeUnit.SECONDS)).isEqualTo(new InetSocketAddress("127.0.0.1", 7001));
        }
    }
}
