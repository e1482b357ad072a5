package torfs.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class KrpcCodecTest {
    private static final NodeId ID = NodeId.fromHex("0102030405060708090a0b0c0d0e0f1011121314");
    private static final NodeId HASH = NodeId.fromHex("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    private static final byte[] TID = {'a', 'a'};
    private static final String ID_S = "20:" + latin1(ID.bytes());

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static KrpcMessage decode(String s) throws KrpcException {
        return KrpcCodec.decode(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static KrpcMessage roundTrip(KrpcMessage m) throws KrpcException {
        return KrpcCodec.decode(KrpcCodec.encode(m));
    }

    @Test
    void bep5PingExampleDecodes() throws Exception {
        var q = (KrpcMessage.Query) decode("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe");
        assertThat(q.method()).isEqualTo(KrpcMessage.Method.PING);
        assertThat(q.tid()).isEqualTo(TID);
        assertThat(q.sender().bytes()).isEqualTo("abcdefghij0123456789".getBytes());
        assertThat(q.readOnly()).isFalse();
    }

    @Test
    void queriesRoundTrip() throws Exception {
        var find = (KrpcMessage.Query) roundTrip(KrpcMessage.Query.findNode(TID, ID, HASH));
        assertThat(find.method()).isEqualTo(KrpcMessage.Method.FIND_NODE);
        assertThat(find.target()).isEqualTo(HASH);
        var get = (KrpcMessage.Query) roundTrip(KrpcMessage.Query.getPeers(TID, ID, HASH));
        assertThat(get.target()).isEqualTo(HASH);
        var ann = (KrpcMessage.Query) roundTrip(KrpcMessage.Query.announcePeer(TID, ID, HASH, 6881, false, new byte[] {9, 9}));
        assertThat(ann.port()).isEqualTo(6881);
        assertThat(ann.impliedPort()).isFalse();
        assertThat(ann.token()).containsExactly(9, 9);
        var implied = (KrpcMessage.Query) roundTrip(KrpcMessage.Query.announcePeer(TID, ID, HASH, 0, true, new byte[] {1}));
        assertThat(implied.impliedPort()).isTrue();
    }

    @Test
    void responseWithNodesPeersTokenAndIpRoundTrips() throws Exception {
        var nodes = List.of(new NodeContact(HASH, new InetSocketAddress("127.0.0.2", 6881)),
                new NodeContact(ID, new InetSocketAddress("127.0.0.3", 1)));
        var peers = List.of(new InetSocketAddress("127.0.0.4", 51413));
        var r = (KrpcMessage.Response) roundTrip(new KrpcMessage.Response(TID, ID, nodes, peers, new byte[] {7},
                new InetSocketAddress("127.0.0.9", 999)));
        assertThat(r.sender()).isEqualTo(ID);
        assertThat(r.nodes()).isEqualTo(nodes);
        assertThat(r.peers()).isEqualTo(peers);
        assertThat(r.token()).containsExactly(7);
        assertThat(r.seenAs()).isEqualTo(new InetSocketAddress("127.0.0.9", 999));
    }

    @Test
    void errorRoundTrips() throws Exception {
        var e = (KrpcMessage.Error) roundTrip(new KrpcMessage.Error(TID, 204, "method unknown"));
        assertThat(e.code()).isEqualTo(204);
        assertThat(e.message()).isEqualTo("method unknown");
    }

    @Test
    void readOnlyFlagIsHonoured() throws Exception {
        var q = (KrpcMessage.Query) decode("d1:ad2:id" + ID_S + "e1:q4:ping2:roi1e1:t2:aa1:y1:qe");
        assertThat(q.readOnly()).isTrue();
    }

    @Test
    void versionAndUnknownKeysAreIgnored() throws Exception {
        assertThat(decode("d1:ad2:id" + ID_S + "3:zzzi1ee1:q4:ping1:t2:aa1:v4:LT\u0001\u00021:y1:q1:zlee")).isNotNull();
    }

    @Test
    void unknownQueryDecodesToBeAnsweredWith204() throws Exception {
        var q = (KrpcMessage.Query) decode("d1:ad2:id" + ID_S + "e1:q9:vote_this1:t2:aa1:y1:qe");
        assertThat(q.method()).isEqualTo(KrpcMessage.Method.UNKNOWN);
    }

    /** BEP 32: a values entry of 18 bytes is an IPv6 peer, beside the 6-byte IPv4 ones. */
    @Test
    void eighteenByteValuesAreIpv6Peers() throws Exception {
        String v6 = "18:" + "x".repeat(18);
        var r = (KrpcMessage.Response) decode("d1:rd2:id" + ID_S + "6:valuesl" + v6 + "6:\u007f\u0000\u0000\u0001\u001a\u00e1ee1:t2:aa1:y1:re");
        assertThat(r.peers()).containsExactly(new InetSocketAddress("7878:7878:7878:7878:7878:7878:7878:7878", 0x7878),
                new InetSocketAddress("127.0.0.1", 6881));
    }

    @Test
    void valuesOfOtherLengthsAreRejected() {
        for (int len : new int[] {0, 5, 7, 16, 17, 19}) {
            assertThatThrownBy(() -> decode("d1:rd2:id" + ID_S + "6:valuesl" + len + ":" + "x".repeat(len) + "ee1:t2:aa1:y1:re"))
                    .as("%d bytes", len).isInstanceOf(KrpcException.class).hasMessageContaining("a value of");
        }
    }

    @Test
    void nodes6AreThirtyEightByteEntriesAddedToIpv4Nodes() throws Exception {
        NodeContact v4 = new NodeContact(HASH, new InetSocketAddress("127.0.0.1", 6881));
        NodeContact v6 = new NodeContact(ID, new InetSocketAddress("::1", 6882));
        byte[] n4 = Compact.nodes(List.of(v4, v6));
        byte[] n6 = Compact.nodes6(List.of(v4, v6));
        assertThat(n4).hasSize(26);
        assertThat(n6).hasSize(38);
        var r = (KrpcMessage.Response) decode("d1:rd2:id" + ID_S + "5:nodes26:" + latin1(n4) + "6:nodes638:" + latin1(n6)
                + "e1:t2:aa1:y1:re");
        assertThat(r.nodes()).containsExactly(v4, v6);
    }

    @Test
    void nodes6NotAMultipleOfThirtyEightIsRejected() {
        assertThatThrownBy(() -> decode("d1:rd2:id" + ID_S + "6:nodes626:" + "x".repeat(26) + "e1:t2:aa1:y1:re"))
                .isInstanceOf(KrpcException.class).hasMessage("nodes6 is not a multiple of 38 bytes");
    }

    @Test
    void mixedNodesRoundTripUnderTheirOwnKeys() throws Exception {
        NodeContact v4 = new NodeContact(HASH, new InetSocketAddress("127.0.0.1", 6881));
        NodeContact v6 = new NodeContact(ID, new InetSocketAddress("::1", 6882));
        var sent = new KrpcMessage.Response(TID, ID, List.of(v6, v4),
                List.of(new InetSocketAddress("::1", 51413), new InetSocketAddress("127.0.0.2", 51413)), null,
                new InetSocketAddress("::1", 7000));
        String wire = latin1(KrpcCodec.encode(sent));
        assertThat(wire).contains("5:nodes26:").contains("6:nodes638:").contains("2:ip18:");
        var back = (KrpcMessage.Response) roundTrip(sent);
        assertThat(back.nodes()).containsExactly(v4, v6); // nodes before nodes6
        assertThat(back.peers()).containsExactly(new InetSocketAddress("::1", 51413), new InetSocketAddress("127.0.0.2", 51413));
        assertThat(back.seenAs()).isEqualTo(new InetSocketAddress("::1", 7000));
    }

    @Test
    void wantListIsDecodedAndEncoded() throws Exception {
        var q = (KrpcMessage.Query) decode("d1:ad2:id" + ID_S + "6:target" + ID_S + "4:wantl2:n42:n62:n9ee1:q9:find_node1:t2:aa1:y1:qe");
        assertThat(q.want()).isEqualTo(KrpcMessage.Query.WANT_N4 | KrpcMessage.Query.WANT_N6);
        var only6 = KrpcMessage.Query.findNode(TID, ID, HASH).withWant(KrpcMessage.Query.WANT_N6);
        assertThat(latin1(KrpcCodec.encode(only6))).contains("4:wantl2:n6e");
        assertThat(((KrpcMessage.Query) roundTrip(only6)).want()).isEqualTo(KrpcMessage.Query.WANT_N6);
        assertThatThrownBy(() -> decode("d1:ad2:id" + ID_S + "4:wanti1ee1:q4:ping1:t2:aa1:y1:qe"))
                .isInstanceOf(KrpcException.class).hasMessage("want is not a list");
    }

    @Test
    void truncated() {
        assertThatThrownBy(() -> decode("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:q"))
                .isInstanceOf(KrpcException.class);
    }

    @Test
    void missingTransactionId() {
        assertThatThrownBy(() -> decode("d1:ad2:id" + ID_S + "e1:q4:ping1:y1:qe")).hasMessageContaining("'t'");
    }

    @Test
    void emptyOrOversizedTransactionId() {
        assertThatThrownBy(() -> decode("d1:ad2:id" + ID_S + "e1:q4:ping1:t0:1:y1:qe")).isInstanceOf(KrpcException.class);
        assertThatThrownBy(() -> decode("d1:ad2:id" + ID_S + "e1:q4:ping1:t17:" + "x".repeat(17) + "1:y1:qe"))
                .isInstanceOf(KrpcException.class);
    }

    @Test
    void wrongTypes() {
        assertThatThrownBy(() -> decode("li1ee")).hasMessageContaining("not a dictionary");
        assertThatThrownBy(() -> decode("d1:ai1e1:q4:ping1:t2:aa1:y1:qe")).hasMessageContaining("'a'");
        assertThatThrownBy(() -> decode("d1:ad2:idi5ee1:q4:ping1:t2:aa1:y1:qe")).hasMessageContaining("'id'");
        assertThatThrownBy(() -> decode("d1:rd2:id" + ID_S + "6:valuesi3ee1:t2:aa1:y1:re")).hasMessageContaining("values");
        assertThatThrownBy(() -> decode("d1:rd2:id" + ID_S + "6:valuesli3eee1:t2:aa1:y1:re")).hasMessageContaining("value");
        assertThatThrownBy(() -> decode("d1:eli201ee1:t2:aa1:y1:ee")).hasMessageContaining("[code, message]");
        assertThatThrownBy(() -> decode("d1:t2:aa1:y1:xe")).hasMessageContaining("unknown message type");
    }

    @Test
    void shortNodeId() {
        assertThatThrownBy(() -> decode("d1:ad2:id19:abcdefghij012345678e1:q4:ping1:t2:aa1:y1:qe"))
                .hasMessageContaining("19 bytes");
    }

    @Test
    void badCompactLengths() {
        assertThatThrownBy(() -> decode("d1:rd2:id" + ID_S + "5:nodes27:" + "x".repeat(27) + "e1:t2:aa1:y1:re"))
                .hasMessageContaining("multiple of 26");
        assertThatThrownBy(() -> decode("d1:rd2:id" + ID_S + "6:valuesl5:abcdeee1:t2:aa1:y1:re"))
                .hasMessageContaining("5 bytes");
    }

    @Test
    void oversizedNodeLists() {
        int n = KrpcCodec.MAX_NODES + 1;
        assertThatThrownBy(() -> decode("d1:rd2:id" + ID_S + "5:nodes" + (26 * n) + ":" + "x".repeat(26 * n)
                + "e1:t2:aa1:y1:re")).isInstanceOf(KrpcException.class);
    }

    @Test
    void announceWithoutPortOrToken() {
        assertThatThrownBy(() -> decode("d1:ad2:id" + ID_S + "9:info_hash" + ID_S + "5:token1:xe1:q13:announce_peer1:t2:aa1:y1:qe"))
                .hasMessageContaining("port");
        assertThatThrownBy(() -> decode("d1:ad2:id" + ID_S + "9:info_hash" + ID_S + "4:porti70000e5:token1:xe1:q13:announce_peer1:t2:aa1:y1:qe"))
                .hasMessageContaining("port");
        assertThatThrownBy(() -> decode("d1:ad2:id" + ID_S + "9:info_hash" + ID_S + "4:porti1ee1:q13:announce_peer1:t2:aa1:y1:qe"))
                .hasMessageContaining("token");
    }

    @Test
    void findNodeWithoutTarget() {
        assertThatThrownBy(() -> decode("d1:ad2:id" + ID_S + "e1:q9:find_node1:t2:aa1:y1:qe")).hasMessageContaining("target");
    }

    @Test
    void tooDeep() {
        assertThatThrownBy(() -> decode("d1:ad2:id" + ID_S + "1:xllllleeeeee1:q4:ping1:t2:aa1:y1:qe"))
                .hasMessageContaining("not bencode");
    }

    @Test
    void trailingBytes() {
        assertThatThrownBy(() -> decode("d1:ad2:id" + ID_S + "e1:q4:ping1:t2:aa1:y1:qexx")).hasMessageContaining("not bencode");
    }
}
