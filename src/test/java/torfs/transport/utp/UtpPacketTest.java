package torfs.transport.utp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class UtpPacketTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void headerFieldsSitWhereTheBepSays() {
        Packet p = new Packet(PacketType.SYN, 0x1234, 0xdeadbeefL, 0x01020304L, 0x00100000L, 1, 0xfffe, null, null);
        assertThat(HEX.formatHex(p.encode())).isEqualTo("41" + "00" + "1234" + "deadbeef" + "01020304" + "00100000" + "0001" + "fffe");
        assertThat(Packet.parse(p.encode())).isEqualTo(p);
    }

    @Test
    void selectiveAckAndPayloadRoundTrip() {
        Packet p = new Packet(PacketType.DATA, 7, 1, 2, 3, 65535, 0, new byte[] {1, 0, 0, (byte) 0x80}, new byte[] {9, 8});
        byte[] wire = p.encode();
        assertThat(wire[1]).isEqualTo((byte) 1);
        assertThat(HEX.formatHex(wire, 20, wire.length)).isEqualTo("0004" + "01000080" + "0908");
        assertThat(Packet.parse(wire)).isEqualTo(p);
    }

    @Test
    void unknownExtensionsAreSkipped() {
        // extension 2 (libtorrent's close reason), 4 bytes, then payload "ab"
        byte[] wire = HEX.parseHex("0102" + "0007" + "00000000" + "00000000" + "00000100" + "0005" + "0004"
                + "0004" + "00000003" + "6162");
        Packet p = Packet.parse(wire);
        assertThat(p).isNotNull();
        assertThat(p.selectiveAck()).isNull();
        assertThat(new String(p.payload())).isEqualTo("ab");
    }

    @Test
    void libtorrentsSelectiveAcksOfAnyLengthAreRead() {
        // captured from python3-libtorrent 2.0.8: a 5-byte mask on a data packet, after a loss
        String rest = "1234" + "00000001" + "00000002" + "000ffc7d" + "ac32" + "0a21";
        Packet p = Packet.parse(HEX.parseHex("01" + "01" + rest + "0005" + "feffffff3f" + "abcd"));
        assertThat(p).isNotNull();
        assertThat(p.selectiveAck()).containsExactly(0xfe, 0xff, 0xff, 0xff, 0x3f);
        assertThat(p.payload()).containsExactly(0xab, 0xcd);
        assertThat(Packet.parse(HEX.parseHex("21" + "01" + rest + "0002" + "ffff")).selectiveAck())
                .as("2 bytes").hasSize(2);
    }

    @Test
    void malformedPacketsAreDropped() {
        String header = "0000" + "00000000" + "00000000" + "00000100" + "0005" + "0004";
        assertThat(Packet.parse(HEX.parseHex("02" + header))).as("version 2").isNull();
        assertThat(Packet.parse(HEX.parseHex("51" + header))).as("type 5").isNull();
        assertThat(Packet.parse(HEX.parseHex("01" + header.substring(2)))).as("short header").isNull();
        String ext = "01" + header.substring(2);
        assertThat(Packet.parse(HEX.parseHex("01" + ext))).as("extension header missing").isNull();
        assertThat(Packet.parse(HEX.parseHex("01" + ext + "0008" + "00000000"))).as("extension cut").isNull();
        assertThat(Packet.parse(HEX.parseHex("01" + ext + "0000"))).as("empty sack").isNull();
        assertThat(Packet.parse(HEX.parseHex("01" + ext + "0104" + "00000000" + "0004" + "00000000")))
                .as("two sacks").isNull();
    }

    @Test
    void utpIsToldApartFromKrpcByItsFirstByte() {
        assertThat(Packet.looksLikeUtp('d')).isFalse();
        assertThat(Packet.looksLikeUtp(0x41)).isTrue();
        assertThat(Packet.looksLikeUtp(0x01)).isTrue();
        assertThat(Packet.looksLikeUtp(0x51)).isFalse();
        assertThat(Packet.looksLikeUtp(0x42)).isFalse();
    }

    @Test
    void sequenceNumbersWrap() {
        assertThat(Seq.add(65535, 1)).isZero();
        assertThat(Seq.diff(2, 65534)).isEqualTo(4);
        assertThat(Seq.before(65534, 2)).isTrue();
        assertThat(Seq.before(2, 65534)).isFalse();
    }
}
