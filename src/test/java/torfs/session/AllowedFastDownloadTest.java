package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.metainfo.Torrent;

/** A fast peer that chokes us but allows pieces is asked for those pieces, and only those. */
class AllowedFastDownloadTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(60)
    void chokingPeerIsAskedForItsAllowedFastPiecesOnly() throws Exception {
        // one block a piece: an unrestricted pick of the first four slots would take four pieces
        Torrent torrent = TestTorrents.create(tmp.resolve("seed"), "data", 16384, new long[] {1_500_000}, 3);
        try (FakePeer fake = new FakePeer("127.0.0.3", torrent, FakePeer.Behaviour.CHOKING_ALLOWS_1_AND_3);
             Client leecher = Client.start(SeedToDownloadTest.on("127.0.0.1"))) {
            TorrentSession s = leecher.add(torrent, tmp.resolve("leech"));
            s.addPeers(List.of(new InetSocketAddress("127.0.0.3", fake.port())));
            while (fake.requestedPieces.size() < 2) {
                Thread.sleep(20); // the @Timeout guards a hang
            }
            Thread.sleep(300); // room for a wrong request to show up
            assertThat(fake.requestedPieces).containsExactlyInAnyOrder(1, 3);
        }
    }
}
