package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.metainfo.Torrent;
import torfs.peer.PeerId;

/**
 * The client's rate limiters are shared by all its torrents and queue peers by number, so a
 * peer's number must be unique in the client, not only in its torrent.
 */
@Timeout(60)
class PeerNumbersTest {
    @TempDir
    Path dir;

    @Test
    void peersOfTwoTorrentsOnOneClientGetDifferentNumbers() throws Exception {
        Torrent a = TestTorrents.create(dir.resolve("a"), "a", 32768, new long[] {40_000}, 1);
        Torrent b = TestTorrents.create(dir.resolve("b"), "b", 32768, new long[] {40_000}, 2);
        try (Client client = Client.start(SeedToDownloadTest.on("127.0.0.1").withLimits(100_000, 100_000))) {
            TorrentSession sa = client.add(a, dir.resolve("a"));
            TorrentSession sb = client.add(b, dir.resolve("b"));
            try (Socket pa = handshaken(client, a); Socket pb = handshaken(client, b)) {
                Set<Integer> numbers = new HashSet<>(peerNumbers(sa));
                Set<Integer> ofB = peerNumbers(sb);
                assertThat(numbers).hasSize(1);
                assertThat(ofB).hasSize(1);
                assertThat(numbers.addAll(ofB)).as("numbers of A %s, of B %s", peerNumbers(sa), ofB).isTrue();
            }
        }
    }

    /** A peer that connected for {@code t} and got the client's handshake back. */
    private static Socket handshaken(Client client, Torrent t) throws Exception {
        Socket s = new Socket(InetAddress.getByName("127.0.0.1"), client.port());
        OutputStream out = s.getOutputStream();
        out.write(19);
        out.write("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[8]);
        out.write(t.infoHash().bytes());
        out.write(PeerId.generate());
        out.flush();
        // the client answers on the loop in the same task that attaches the peer
        new DataInputStream(s.getInputStream()).readFully(new byte[68]);
        return s;
    }

    private static Set<Integer> peerNumbers(TorrentSession s) throws Exception {
        return s.loop().submit(s::peerNumbers).get();
    }
}
