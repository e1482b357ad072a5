package torfs.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MetadataMessageTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void requestRoundTrips() {
        byte[] wire = MetadataMessage.request(3).encode();
        assertThat(new String(wire, StandardCharsets.US_ASCII)).isEqualTo("d8:msg_typei0e5:piecei3ee");
        MetadataMessage m = MetadataMessage.parse(wire);
        assertThat(m.type()).isEqualTo(MetadataMessage.REQUEST);
        assertThat(m.piece()).isEqualTo(3);
    }

    @Test
    void dataCarriesTheBlockAfterTheDictionary() {
        byte[] block = new byte[100];
        Arrays.fill(block, (byte) 'e'); // bytes that look like bencode do not confuse the end
        byte[] wire = MetadataMessage.data(1, MetadataMessage.BLOCK + 100, block).encode();
        MetadataMessage m = MetadataMessage.parse(wire);
        assertThat(m.type()).isEqualTo(MetadataMessage.DATA);
        assertThat(m.totalSize()).isEqualTo(MetadataMessage.BLOCK + 100);
        assertThat(m.data()).isEqualTo(block);
    }

    @Test
    void rejectRoundTrips() {
        assertThat(MetadataMessage.parse(MetadataMessage.reject(7).encode()))
                .extracting(MetadataMessage::type, MetadataMessage::piece).containsExactly(2, 7);
    }

    @Test
    void unknownTypeIsKeptForTheCallerToIgnore() {
        assertThat(MetadataMessage.parse(ascii("d8:msg_typei9e5:piecei0ee")).type()).isEqualTo(9);
    }

    @Test
    void extraKeysAreTolerated() {
        assertThat(MetadataMessage.parse(ascii("d1:xli1ee8:msg_typei0e5:piecei0ee")).type()).isZero();
    }

    @Test
    void blockLengthsOfTheLastBlock() {
        assertThat(MetadataMessage.blockCount(MetadataMessage.BLOCK * 2)).isEqualTo(2);
        assertThat(MetadataMessage.blockLength(MetadataMessage.BLOCK * 2, 1)).isEqualTo(MetadataMessage.BLOCK);
        assertThat(MetadataMessage.blockLength(MetadataMessage.BLOCK + 5, 1)).isEqualTo(5);
    }

    @Test
    void missingMsgTypeIsAProtocolError() {
        assertThatThrownBy(() -> MetadataMessage.parse(ascii("d5:piecei0ee"))).isInstanceOf(WireException.class)
                .hasMessageContaining("msg_type");
    }

    @Test
    void negativePieceIsAProtocolError() {
        assertThatThrownBy(() -> MetadataMessage.parse(ascii("d8:msg_typei0e5:piecei-1ee")))
                .isInstanceOf(WireException.class).hasMessageContaining("piece");
    }

    @Test
    void pieceBeyondAnyDictionaryIsAProtocolError() {
        assertThatThrownBy(() -> MetadataMessage.parse(ascii("d8:msg_typei0e5:piecei99999ee")))
                .isInstanceOf(WireException.class);
    }

    @Test
    void dataWithoutTotalSizeIsAProtocolError() {
        assertThatThrownBy(() -> MetadataMessage.parse(ascii("d8:msg_typei1e5:piecei0eeabc")))
                .isInstanceOf(WireException.class).hasMessageContaining("total_size");
    }

    @Test
    void oversizeTotalSizeIsAProtocolError() {
        assertThatThrownBy(() -> MetadataMessage.parse(ascii("d8:msg_typei1e5:piecei0e10:total_sizei99999999999eex")))
                .isInstanceOf(WireException.class).hasMessageContaining("total_size");
    }

    @Test
    void blockLongerThan16KiBIsAProtocolError() {
        byte[] head = ascii("d8:msg_typei1e5:piecei0e10:total_sizei99999ee");
        byte[] wire = Arrays.copyOf(head, head.length + MetadataMessage.BLOCK + 1);
        assertThatThrownBy(() -> MetadataMessage.parse(wire)).isInstanceOf(WireException.class)
                .hasMessageContaining("over 16384");
    }

    @Test
    void bytesAfterARequestAreAProtocolError() {
        assertThatThrownBy(() -> MetadataMessage.parse(ascii("d8:msg_typei0e5:piecei0eex")))
                .isInstanceOf(WireException.class).hasMessageContaining("after it");
    }

    @Test
    void deepNestingIsAProtocolError() {
        assertThatThrownBy(() -> MetadataMessage.parse(ascii("d1:xlli1eee8:msg_typei0e5:piecei0ee")))
                .isInstanceOf(WireException.class).hasMessageContaining("nesting");
    }

    @Test
    void notADictionaryIsAProtocolError() {
        assertThatThrownBy(() -> MetadataMessage.parse(ascii("i1e"))).isInstanceOf(WireException.class);
        assertThatThrownBy(() -> MetadataMessage.parse(new byte[0])).isInstanceOf(WireException.class);
    }

    @Test
    void travelsThroughTheWireCodecsAsAnExtendedMessage() {
        EmbeddedChannel out = new EmbeddedChannel(WireEncoder.INSTANCE);
        out.writeOutbound(MetadataMessage.data(0, 3, ascii("abc")).toMessage(5));
        ByteBuf bytes = out.readOutbound();
        EmbeddedChannel in = new EmbeddedChannel(new WireDecoder(false));
        in.writeInbound(bytes);
        PeerMessage.Extended e = in.readInbound();
        assertThat(e.extId()).isEqualTo(5);
        assertThat(MetadataMessage.parse(e.payload()).data()).isEqualTo(ascii("abc"));
        in.finishAndReleaseAll();
        out.finishAndReleaseAll();
    }
}
