package torfs.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import torfs.geometry.BlockRef;
import torfs.geometry.PieceGeometry;
import torfs.metainfo.InfoHash;
import torfs.wire.ExtensionHandshake;
import torfs.wire.Handshake;
import torfs.wire.PeerMessage;
import torfs.wire.PexMessage;

/** ut_pex (BEP 11), private torrents (BEP 27) and the DHT's PORT message (BEP 5) on one connection. */
class PeerConnectionPexTest {
    private static final long S = 1_000_000_000L;
    private static final PieceGeometry GEO = new PieceGeometry(32768, new long[] {10 * 32768});
    private static final InfoHash HASH = InfoHash.sha1Of(new byte[1], 0, 1);

    private long now = 1_000 * S;
    private final Events events = new Events();
    private EmbeddedChannel ch;
    private PeerConnection peer;

    /** What the connection told its torrent; the rest of a quiet torrent. */
    static final class Events extends QuietPeerListener {
        boolean isPrivate;
        final List<List<PexMessage.Peer>> pex = new ArrayList<>();
        final List<InetSocketAddress> dhtNodes = new ArrayList<>();
        boolean closed;

        @Override
        public void peerClosed(PeerConnection p, List<BlockRef> outstanding) {
            closed = true;
        }

        @Override
        public boolean torrentIsPrivate() {
            return isPrivate;
        }

        @Override
        public void onPexPeers(PeerConnection p, List<PexMessage.Peer> added) {
            pex.add(added);
        }

        @Override
        public void onDhtPort(PeerConnection p, InetSocketAddress node) {
            dhtNodes.add(node);
        }
    }

    private void connect(boolean dht) {
        ch = FakePeerChannel.to("127.0.0.5");
        peer = new PeerConnection(1, ch, new Handshake(FakePeerChannel.reserved(true, true, dht), HASH,
                PeerId.generate()), GEO, events, PeerSettings.defaults().withListenPort(7000), () -> now);
        ch.pipeline().addLast(peer);
        peer.start();
    }

    private List<PeerMessage> sent() {
        return FakePeerChannel.sent(ch);
    }

    private ExtensionHandshake ourExtensionHandshake() {
        return sent().stream().filter(m -> m instanceof PeerMessage.Extended e && e.extId() == 0)
                .map(m -> ExtensionHandshake.parse(((PeerMessage.Extended) m).payload())).findFirst().orElseThrow();
    }

    private static PexMessage pexOf(int peers, int firstOctet) {
        List<PexMessage.Peer> added = new ArrayList<>();
        for (int i = 0; i < peers; i++) {
            added.add(new PexMessage.Peer(new InetSocketAddress("10." + firstOctet + "." + (i / 250) + "." + (i % 250 + 1),
                    6881), PexMessage.SEED));
        }
        return new PexMessage(added, List.of());
    }

    private void receive(PexMessage m) {
        ch.writeInbound(m.toMessage(PexMessage.LOCAL_ID));
    }

    @Test
    void ourExtensionHandshakeAdvertisesUtPexAndOurListenPort() {
        connect(false);
        ExtensionHandshake ours = ourExtensionHandshake();
        assertThat(ours.extensions()).containsEntry(PexMessage.NAME, PexMessage.LOCAL_ID);
        assertThat(ours.listenPort()).isEqualTo(7000);
    }

    @Test
    void privateTorrentAdvertisesNoUtPex() {
        events.isPrivate = true;
        connect(false);
        assertThat(ourExtensionHandshake().extensions()).doesNotContainKey(PexMessage.NAME);
    }

    @Test
    void privateTorrentIgnoresUtPexFromThePeer() {
        events.isPrivate = true;
        connect(false);
        receive(pexOf(3, 1));
        assertThat(events.pex).isEmpty();
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void pexFromThePeerReachesTheListenerWithFlags() {
        connect(false);
        receive(pexOf(3, 1));
        assertThat(events.pex).hasSize(1);
        assertThat(events.pex.get(0)).hasSize(3)
                .first().isEqualTo(new PexMessage.Peer(new InetSocketAddress("10.1.0.1", 6881), PexMessage.SEED));
    }

    @Test
    void firstTwoPexMessagesCloseTogetherAreABurstNotAFlood() {
        connect(false);
        receive(pexOf(3, 1));
        now += S;
        receive(pexOf(3, 2));
        assertThat(events.pex).hasSize(2);
        assertThat(ch.isOpen()).isTrue();
        now += 60 * S;
        receive(pexOf(3, 3)); // on schedule again
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void pexFloodWithinAMinuteDisconnects() {
        connect(false);
        receive(pexOf(3, 1));
        now += S;
        receive(pexOf(3, 2));
        now += 10 * S;
        receive(pexOf(3, 3));
        assertThat(events.pex).hasSize(2);
        assertThat(ch.isOpen()).isFalse();
        assertThat(events.closed).isTrue();
    }

    @Test
    void pexEveryMinuteGoesOnForever() {
        connect(false);
        for (int i = 0; i < 10; i++) {
            receive(pexOf(5, i));
            now += 60 * S;
        }
        assertThat(events.pex).hasSize(10);
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void firstPexMayListTwoHundredPeers() {
        connect(false);
        receive(pexOf(200, 1));
        assertThat(events.pex.get(0)).hasSize(200);
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void laterPexAddingMoreThanFiftyPeersDisconnects() {
        connect(false);
        receive(pexOf(10, 1));
        now += 60 * S;
        receive(pexOf(51, 2));
        assertThat(events.pex).hasSize(1);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void garbagePexDisconnects() {
        connect(false);
        ch.writeInbound(new PeerMessage.Extended(PexMessage.LOCAL_ID, new byte[] {'d', '5', ':', 'a'}));
        assertThat(events.pex).isEmpty();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void sendExtendedUsesThePeersIdAndNeedsItsHandshake() {
        connect(false);
        sent();
        assertThat(peer.sendExtended(PexMessage.NAME, new byte[] {1})).isFalse();
        ch.writeInbound(new ExtensionHandshake(Map.of(PexMessage.NAME, 9), "lt", 5, 0, 6881).toMessage());
        assertThat(peer.peerListenPort()).isEqualTo(6881);
        assertThat(peer.sendExtended(PexMessage.NAME, new byte[] {1})).isTrue();
        assertThat(sent()).singleElement().isInstanceOfSatisfying(PeerMessage.Extended.class,
                e -> assertThat(e.extId()).isEqualTo(9));
    }

    @Test
    void portMessageFromADhtPeerGivesItsNodeToTheListener() {
        connect(true);
        ch.writeInbound(new PeerMessage.Port(6882));
        assertThat(events.dhtNodes).containsExactly(new InetSocketAddress("127.0.0.5", 6882));
    }

    @Test
    void portMessageWithoutTheDhtBitIsIgnoredNotAnError() {
        connect(false);
        ch.writeInbound(new PeerMessage.Port(6882));
        assertThat(events.dhtNodes).isEmpty();
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void ourPortMessageGoesOnlyToPeersWithTheDhtBit() {
        connect(false);
        sent();
        peer.sendDhtPort(6990);
        assertThat(sent()).isEmpty();
        connect(true);
        sent();
        peer.sendDhtPort(6990);
        assertThat(sent()).containsExactly(new PeerMessage.Port(6990));
    }

    @Test
    void ourHandshakeSetsTheDhtBitOnlyWhenADhtRuns() {
        byte[] id = PeerId.generate();
        assertThat(Handshake.ours(HASH, id).supportsDht()).isFalse();
        assertThat(Handshake.ours(HASH, id, false).supportsDht()).isFalse();
        Handshake dht = Handshake.ours(HASH, id, true);
        assertThat(dht.supportsDht()).isTrue();
        assertThat(dht.reserved()[7]).isEqualTo((byte) 0x05); // fast and DHT
        assertThat(dht.supportsFast()).isTrue();
        assertThat(dht.supportsExtensions()).isTrue();
    }
}
