package torfs.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Answers to each query kind, from a table and store driven by hand. */
class ResponderTest {
    private static final long NOW = 1_000_000;
    private static final byte[] TID = {1, 2};
    private static final NodeId HASH = NodeId.fromHex("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    private static final InetSocketAddress ASKER = new InetSocketAddress("127.0.0.9", 4000);
    private final Random random = new Random(5);
    private final RoutingTable table = new RoutingTable(NodeId.random(random), NOW);
    private final NodeId asker = NodeId.random(random);
    private final Responder responder = new Responder(table, DhtSettings.loopbackForTests(), random, NOW);

    @Test
    void pingAnswersWithOurId() {
        var r = (KrpcMessage.Response) responder.answer(ASKER, KrpcMessage.Query.ping(TID, asker), NOW);
        assertThat(r.sender()).isEqualTo(table.ownId());
        assertThat(r.tid()).isEqualTo(TID);
    }

    @Test
    void findNodeGivesTheNearestEight() {
        for (int i = 0; i < 30; i++) {
            table.heardFrom(NodeId.random(random), new InetSocketAddress("127.0.0.1", 1000 + i), NOW);
        }
        var r = (KrpcMessage.Response) responder.answer(ASKER, KrpcMessage.Query.findNode(TID, asker, HASH), NOW);
        assertThat(r.nodes()).isEqualTo(table.closest(HASH, 8));
        assertThat(r.seenAs()).isEqualTo(ASKER);
    }

    @Test
    void nodesOfTheQuerysFamilyUnlessItWantsOthers() {
        for (int i = 0; i < 10; i++) {
            table.heardFrom(NodeId.random(random), new InetSocketAddress("127.0.0.1", 1000 + i), NOW);
            table.heardFrom(NodeId.random(random), new InetSocketAddress("::1", 2000 + i), NOW);
        }
        var overV4 = (KrpcMessage.Response) responder.answer(ASKER, KrpcMessage.Query.findNode(TID, asker, HASH), NOW);
        assertThat(overV4.nodes()).hasSize(8).noneMatch(n -> Compact.isV6(n.address()));
        InetSocketAddress v6Asker = new InetSocketAddress("::1", 4000);
        var overV6 = (KrpcMessage.Response) responder.answer(v6Asker, KrpcMessage.Query.findNode(TID, asker, HASH), NOW);
        assertThat(overV6.nodes()).hasSize(8).allMatch(n -> Compact.isV6(n.address()));
        var both = (KrpcMessage.Response) responder.answer(ASKER, KrpcMessage.Query.getPeers(TID, asker, HASH)
                .withWant(KrpcMessage.Query.WANT_N4 | KrpcMessage.Query.WANT_N6), NOW);
        assertThat(both.nodes()).hasSize(16).filteredOn(n -> Compact.isV6(n.address())).hasSize(8);
    }

    @Test
    void announceWithTheTokenFromGetPeersIsStoredAndServed() {
        var first = (KrpcMessage.Response) responder.answer(ASKER, KrpcMessage.Query.getPeers(TID, asker, HASH), NOW);
        assertThat(first.peers()).isEmpty();
        assertThat(first.token()).hasSize(Tokens.LENGTH);
        var ok = responder.answer(ASKER, KrpcMessage.Query.announcePeer(TID, asker, HASH, 6881, false, first.token()), NOW);
        assertThat(ok).isInstanceOf(KrpcMessage.Response.class);
        var implied = responder.answer(ASKER, KrpcMessage.Query.announcePeer(TID, asker, HASH, 1, true, first.token()), NOW);
        assertThat(implied).isInstanceOf(KrpcMessage.Response.class);
        var again = (KrpcMessage.Response) responder.answer(ASKER, KrpcMessage.Query.getPeers(TID, asker, HASH), NOW);
        assertThat(again.peers()).containsExactlyInAnyOrder(new InetSocketAddress("127.0.0.9", 6881), ASKER);
        assertThat(responder.storedPeers()).isEqualTo(2);
    }

    @Test
    void announceWithAnotherAddressTokenIsRefused() {
        var r = (KrpcMessage.Response) responder.answer(ASKER, KrpcMessage.Query.getPeers(TID, asker, HASH), NOW);
        InetSocketAddress other = new InetSocketAddress("127.0.0.10", 4000);
        var e = (KrpcMessage.Error) responder.answer(other, KrpcMessage.Query.announcePeer(TID, asker, HASH, 6881, false, r.token()), NOW);
        assertThat(e.code()).isEqualTo(KrpcMessage.Error.PROTOCOL);
        assertThat(responder.storedPeers()).isZero();
    }

    @Test
    void unknownMethodGets204() {
        var q = new KrpcMessage.Query(TID, KrpcMessage.Method.UNKNOWN, asker, false, null, 0, false, null);
        var e = (KrpcMessage.Error) responder.answer(ASKER, q, NOW);
        assertThat(e.code()).isEqualTo(KrpcMessage.Error.METHOD_UNKNOWN);
    }

    @Test
    void floodFromOneSourceIsCutOff() {
        int answered = 0;
        for (int i = 0; i < 1000; i++) {
            answered += responder.answer(ASKER, KrpcMessage.Query.ping(TID, asker), NOW) != null ? 1 : 0;
        }
        int burst = 2 * DhtSettings.loopbackForTests().queriesPerSecondPerSource();
        assertThat(answered).isEqualTo(burst);
        assertThat(responder.answer(new InetSocketAddress("127.0.0.11", 1), KrpcMessage.Query.ping(TID, asker), NOW))
                .isNotNull();
    }
}
