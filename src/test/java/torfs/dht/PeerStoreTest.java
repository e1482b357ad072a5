package torfs.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class PeerStoreTest {
    private static final NodeId A = NodeId.fromHex("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    private static final NodeId B = NodeId.fromHex("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
    private static final NodeId C = NodeId.fromHex("cccccccccccccccccccccccccccccccccccccccc");

    private static InetSocketAddress peer(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    @Test
    void perHashCapDropsTheOldestAnnounce() {
        PeerStore s = new PeerStore(3, 10, 100);
        for (int p = 1; p <= 4; p++) {
            s.announce(A, peer(p), 0);
        }
        assertThat(s.peers(A, 0)).containsExactly(peer(4), peer(3), peer(2));
        s.announce(A, peer(2), 1); // re-announce: newest again, no duplicate
        assertThat(s.peers(A, 1)).containsExactly(peer(2), peer(4), peer(3));
        assertThat(s.size()).isEqualTo(3);
    }

    @Test
    void totalCapsRefuseNewcomers() {
        PeerStore s = new PeerStore(10, 2, 3);
        assertThat(s.announce(A, peer(1), 0)).isTrue();
        assertThat(s.announce(B, peer(1), 0)).isTrue();
        assertThat(s.announce(C, peer(1), 0)).as("a third info-hash").isFalse();
        assertThat(s.announce(A, peer(2), 0)).isTrue();
        assertThat(s.announce(A, peer(3), 0)).as("a fourth peer").isFalse();
        assertThat(s.size()).isEqualTo(3);
    }

    @Test
    void entriesExpireAfterThirtyMinutes() {
        PeerStore s = new PeerStore(10, 10, 100);
        s.announce(A, peer(1), 0);
        s.announce(A, peer(2), 20 * 60_000);
        assertThat(s.peers(A, PeerStore.TTL_MS)).containsExactly(peer(2));
        s.expire(PeerStore.TTL_MS);
        assertThat(s.size()).isEqualTo(1);
        s.expire(PeerStore.TTL_MS + 20 * 60_000);
        assertThat(s.size()).isZero();
        assertThat(s.hashes()).isZero();
    }

    @Test
    void answerIsCappedToFitADatagram() {
        PeerStore s = new PeerStore(500, 10, 1000);
        for (int p = 1; p <= 300; p++) {
            s.announce(A, peer(p), 0);
        }
        assertThat(s.peers(A, 0)).hasSize(PeerStore.MAX_ANSWER);
    }
}
