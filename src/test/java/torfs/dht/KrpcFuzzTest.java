package torfs.dht;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetSocketAddress;
import java.util.Random;

/**
 * Any datagram: the codec yields a message or a {@link KrpcException}; a query is answered
 * without an exception and the answer encodes to a datagram-sized packet. Seeds in
 * KrpcFuzzTestInputs/ are replayed by plain {@code mvn test}.
 */
class KrpcFuzzTest {
    private static final long NOW = 1_000_000;
    private static final InetSocketAddress FROM = new InetSocketAddress("127.0.0.7", 6881);

    @FuzzTest(maxDuration = "60s")
    void krpcDatagram(byte[] data) {
        KrpcMessage m;
        try {
            m = KrpcCodec.decode(data);
        } catch (KrpcException e) {
            return;
        }
        assertThat(m.tid().length).isBetween(1, KrpcCodec.MAX_TID);
        if (m instanceof KrpcMessage.Response r) {
            assertThat(r.nodes().size()).isLessThanOrEqualTo(KrpcCodec.MAX_NODES);
            assertThat(r.peers().size()).isLessThanOrEqualTo(KrpcCodec.MAX_PEERS);
        }
        if (m instanceof KrpcMessage.Query q) {
            RoutingTable table = new RoutingTable(NodeId.random(new Random(1)), NOW);
            if (!q.readOnly()) {
                table.heardFrom(q.sender(), FROM, NOW);
            }
            Responder responder = new Responder(table, DhtSettings.loopbackForTests(), new Random(2), NOW);
            KrpcMessage answer = responder.answer(FROM, q, NOW);
            assertThat(answer).isNotNull();
            assertThat(KrpcCodec.encode(answer).length).isLessThan(1500);
        }
    }
}
