package torfs.transport.utp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any datagram: {@link Packet#parse} returns null or a packet that encodes to the same bytes,
 * less the extensions it skips; it never throws. Seeds in UtpPacketFuzzTestInputs/ are
 * replayed by plain {@code mvn test}.
 */
class UtpPacketFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void parse(byte[] datagram) {
        Packet p = Packet.parse(datagram);
        if (p == null) {
            return;
        }
        assertThat(p.seqNr()).isBetween(0, 0xffff);
        assertThat(p.windowSize()).isBetween(0L, 0xffffffffL);
        assertThat(p.encodedSize()).isLessThanOrEqualTo(datagram.length);
        if (p.selectiveAck() != null) {
            assertThat(p.selectiveAck().length).isPositive();
        }
        assertThat(Packet.parse(p.encode())).isEqualTo(p);
        // a connection fed the packet on its id answers or drops it, never throws
        UtpConnectionTest.Wire wire = new UtpConnectionTest.Wire();
        UtpConnection c = UtpConnection.accepting(new Packet(PacketType.SYN, 100, 0, 0, 1 << 20, 1, 0, null, null),
                0, 1 << 20, wire, 500);
        c.write(new byte[3000], 1);
        c.receive(new Packet(p.type(), 101, p.timestampMicros(), p.timestampDiffMicros(), p.windowSize(),
                p.seqNr(), p.ackNr(), p.selectiveAck(), p.payload()), 1000);
        c.tick(10_000_000);
        assertThat(c.pendingBytes()).isBetween(0L, 3000L);
    }
}
