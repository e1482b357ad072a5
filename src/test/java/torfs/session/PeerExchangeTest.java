package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import torfs.wire.PexMessage;

class PeerExchangeTest {
    private static final long S = 1_000_000_000L;
    private static final InetSocketAddress RECIPIENT = new InetSocketAddress("127.0.0.9", 6881);

    private final PeerExchange exchange = new PeerExchange(60 * S, 2 * S);

    private static Map<InetSocketAddress, Integer> connected(int from, int to) {
        Map<InetSocketAddress, Integer> m = new LinkedHashMap<>();
        for (int i = from; i < to; i++) {
            m.put(new InetSocketAddress("10.0." + i / 250 + "." + (i % 250 + 1), 6881), PexMessage.REACHABLE);
        }
        m.put(RECIPIENT, 0);
        return m;
    }

    @Test
    void firstMessageWaitsForItsDelayAndLeavesOutTheRecipient() {
        assertThat(exchange.due(1, RECIPIENT, connected(0, 3), 0)).isNull();
        PexMessage m = exchange.due(1, RECIPIENT, connected(0, 3), 2 * S);
        assertThat(m.added()).hasSize(3).noneMatch(p -> p.address().equals(RECIPIENT));
        assertThat(m.dropped()).isEmpty();
    }

    @Test
    void laterMessagesComeAMinuteApartWithTheDifference() {
        exchange.due(1, RECIPIENT, connected(0, 3), 0);
        exchange.due(1, RECIPIENT, connected(0, 3), 2 * S);
        assertThat(exchange.due(1, RECIPIENT, connected(1, 5), 30 * S)).isNull(); // not due yet
        PexMessage m = exchange.due(1, RECIPIENT, connected(1, 5), 62 * S);
        assertThat(m.added()).extracting(p -> p.address().getHostString()).containsExactly("10.0.0.4", "10.0.0.5");
        assertThat(m.dropped()).extracting(InetSocketAddress::getHostString).containsExactly("10.0.0.1");
    }

    @Test
    void ipv6PeersAreListedInAdded6() throws Exception {
        Map<InetSocketAddress, Integer> m = connected(0, 1);
        InetSocketAddress v6 = new InetSocketAddress("::1", 51413);
        m.put(v6, PexMessage.REACHABLE);
        exchange.due(1, RECIPIENT, m, 0);
        PexMessage sent = exchange.due(1, RECIPIENT, m, 2 * S);
        torfs.bencode.BDict wire = (torfs.bencode.BDict) torfs.bencode.BencodeDecoder.decode(sent.encode());
        assertThat(((torfs.bencode.BString) wire.get("added6")).length()).isEqualTo(18);
        assertThat(((torfs.bencode.BString) wire.get("added")).length()).isEqualTo(6);
        assertThat(PexMessage.decode(sent.encode()).added()).extracting(PexMessage.Peer::address).contains(v6);
    }

    @Test
    void nothingNewSendsNothingAndKeepsAsking() {
        exchange.due(1, RECIPIENT, connected(0, 0), 0);
        assertThat(exchange.due(1, RECIPIENT, connected(0, 0), 2 * S)).isNull();
        assertThat(exchange.due(1, RECIPIENT, connected(0, 1), 3 * S).added()).hasSize(1);
    }

    @Test
    void addedAndDroppedAreCappedPerMessageAndTheRestFollow() {
        exchange.due(1, RECIPIENT, connected(0, 300), 0);
        assertThat(exchange.due(1, RECIPIENT, connected(0, 300), 2 * S).added()).hasSize(PeerExchange.FIRST_MAX_ADDED);
        assertThat(exchange.due(1, RECIPIENT, connected(0, 300), 62 * S).added()).hasSize(PeerExchange.MAX_ADDED);
        PexMessage m = exchange.due(1, RECIPIENT, connected(0, 0), 122 * S);
        assertThat(m.added()).isEmpty();
        assertThat(m.dropped()).hasSize(PeerExchange.MAX_DROPPED);
    }

    @Test
    void aGonePeerIsForgotten() {
        exchange.due(1, RECIPIENT, connected(0, 3), 0);
        exchange.forget(1);
        assertThat(exchange.peerCount()).isZero();
    }
}
