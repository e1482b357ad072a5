package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.metainfo.Torrent;
import torfs.picker.Priority;

/** Three of our clients on loopback: B learns of C only through A's ut_pex, and dials it. */
class PeerExchangeSessionTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(60)
    void peerLearnsAThirdPeerFromPexAndConnectsToIt() throws Exception {
        Path seedDir = tmp.resolve("a");
        Torrent t = TestTorrents.create(seedDir, "pex", 16384, new long[] {200_000}, 3);
        try (Client a = Client.start(SeedToDownloadTest.on("127.0.0.1"));
             Client b = Client.start(SeedToDownloadTest.on("127.0.0.2"));
             Client c = Client.start(SeedToDownloadTest.on("127.0.0.3"))) {
            TorrentSession sa = a.add(t, seedDir);
            sa.setPexInterval(Duration.ofSeconds(1));
            TorrentSession sb = b.add(t, tmp.resolve("b"));
            TorrentSession sc = c.add(t, tmp.resolve("c"));
            // B and C stay leechers that want nothing: nobody completes and drops a seed
            sb.setDefaultPriority(Priority.NONE);
            sc.setDefaultPriority(Priority.NONE);
            InetSocketAddress atC = new InetSocketAddress("127.0.0.3", c.port());
            sa.addPeers(List.of(new InetSocketAddress("127.0.0.2", b.port()), atC));
            // B's only source of C's address is A's ut_pex; the @Timeout bounds the wait
            while (!connected(sb, "127.0.0.3") && !connected(sc, "127.0.0.2")) {
                Thread.sleep(50);
            }
            assertThat(connected(sb, "127.0.0.3") || connected(sc, "127.0.0.2")).isTrue();
            assertThat(connected(sb, "127.0.0.1")).as("A's PEX is no flood to B").isTrue();
        }
    }

    @Test
    @Timeout(60)
    void anIpv6PeerTravelsInAdded6AndIsDialled() throws Exception {
        Path seedDir = tmp.resolve("a");
        Torrent t = TestTorrents.create(seedDir, "pex6", 16384, new long[] {200_000}, 3);
        try (Client a = Client.start(ClientSettings.defaults().withPort(0)); // dual-stack
             Client b = Client.start(SeedToDownloadTest.on("127.0.0.2"));
             Client c = Client.start(SeedToDownloadTest.on("::1"))) {
            TorrentSession sa = a.add(t, seedDir);
            sa.setPexInterval(Duration.ofSeconds(1));
            TorrentSession sb = b.add(t, tmp.resolve("b"));
            TorrentSession sc = c.add(t, tmp.resolve("c"));
            sb.setDefaultPriority(Priority.NONE);
            sc.setDefaultPriority(Priority.NONE);
            sa.addPeers(List.of(new InetSocketAddress("127.0.0.2", b.port()), new InetSocketAddress("::1", c.port())));
            // A tells B of C in added6: only that puts C's listening address in B's book (C
            // dialling B shows at B as an IPv4 source port, and B was never given C)
            InetSocketAddress cListening = new InetSocketAddress("::1", c.port());
            while (!knows(sb, cListening)) {
                Thread.sleep(50);
            }
            assertThat(knows(sb, cListening)).isTrue();
            while (!connected(sb, "0:0:0:0:0:0:0:1") && !connected(sc, "127.0.0.2")) {
                Thread.sleep(50); // and one of them dials the other
            }
        }
    }

    private static boolean knows(TorrentSession s, InetSocketAddress a) throws Exception {
        return s.loop().submit(() -> s.knowsAddress(a)).get(5, TimeUnit.SECONDS);
    }

    private static boolean connected(TorrentSession s, String ip) throws Exception {
        return s.loop().submit(() -> s.peerAddresses().stream()
                .anyMatch(x -> x.getAddress().getHostAddress().equals(ip))).get(5, TimeUnit.SECONDS);
    }
}
