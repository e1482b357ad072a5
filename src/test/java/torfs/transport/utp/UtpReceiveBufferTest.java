package torfs.transport.utp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class UtpReceiveBufferTest {
    private static byte[] bytes(int n) {
        return new byte[n];
    }

    @Test
    void packetsAfterAGapAreHeldAndSelectivelyAcked() {
        ReceiveBuffer r = new ReceiveBuffer(100, 100_000);
        assertThat(r.accept(103, bytes(10), false)).isEqualTo(ReceiveBuffer.Outcome.BUFFERED);
        assertThat(r.accept(105, bytes(10), false)).isEqualTo(ReceiveBuffer.Outcome.BUFFERED);
        assertThat(r.accept(140, bytes(10), false)).isEqualTo(ReceiveBuffer.Outcome.BUFFERED);
        // bit 0 = 102: 103 is bit 1, 105 bit 3, 140 bit 38 (bit 6 of byte 4)
        assertThat(HexFormat.of().formatHex(r.selectiveAck())).isEqualTo("0a000000" + "40000000");
        assertThat(r.window()).isEqualTo(100_000 - 30);
        assertThat(r.accept(101, bytes(1), false)).isEqualTo(ReceiveBuffer.Outcome.DELIVERED);
        assertThat(r.ackNr()).isEqualTo(101);
        assertThat(r.accept(102, bytes(2), false)).isEqualTo(ReceiveBuffer.Outcome.DELIVERED);
        assertThat(r.ackNr()).as("102 fills the gap up to 103").isEqualTo(103);
        assertThat(r.accept(103, bytes(10), false)).isEqualTo(ReceiveBuffer.Outcome.DUPLICATE);
        assertThat(r.readyBytes()).isEqualTo(13);
        assertThat(r.poll()).hasSize(1);
    }

    @Test
    void nothingPastTheReorderSpanOrTheWindowIsKept() {
        ReceiveBuffer r = new ReceiveBuffer(65_500, 1_000);
        assertThat(r.accept(Seq.add(65_500, 257), bytes(1), false)).isEqualTo(ReceiveBuffer.Outcome.DROPPED);
        assertThat(r.accept(Seq.add(65_500, 256), bytes(1), false)).isEqualTo(ReceiveBuffer.Outcome.BUFFERED);
        assertThat(r.accept(65_502, bytes(1_000), false)).as("over the window").isEqualTo(ReceiveBuffer.Outcome.DROPPED);
        assertThat(r.selectiveAck()).hasSize(32);
    }

    @Test
    void theFinEndsTheStreamOnceEverythingBeforeItArrived() {
        ReceiveBuffer r = new ReceiveBuffer(65_535, 1_000);
        assertThat(r.accept(1, bytes(0), true)).isEqualTo(ReceiveBuffer.Outcome.BUFFERED);
        assertThat(r.eof()).isFalse();
        r.accept(0, bytes(5), false);
        assertThat(r.eof()).isTrue();
        assertThat(r.ackNr()).isEqualTo(1);
        assertThat(r.accept(2, bytes(5), false)).as("after the FIN").isEqualTo(ReceiveBuffer.Outcome.DROPPED);
    }
}
