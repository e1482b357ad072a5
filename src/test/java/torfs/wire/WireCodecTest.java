package torfs.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import torfs.metainfo.InfoHash;

class WireCodecTest {
    private static final InfoHash HASH = InfoHash.sha1Of(new byte[] {1, 2, 3}, 0, 3);

    private static List<PeerMessage> samples() {
        return List.of(PeerMessage.KeepAlive.INSTANCE, PeerMessage.Choke.INSTANCE,
                PeerMessage.Unchoke.INSTANCE, PeerMessage.Interested.INSTANCE,
                PeerMessage.NotInterested.INSTANCE, new PeerMessage.Have(123456),
                new PeerMessage.Request(7, 16384, 16384), new PeerMessage.Cancel(7, 32768, 100),
                new PeerMessage.Port(6881), new PeerMessage.Suggest(9), PeerMessage.HaveAll.INSTANCE,
                PeerMessage.HaveNone.INSTANCE, new PeerMessage.Reject(1, 2, 3),
                new PeerMessage.AllowedFast(42),
                new ExtensionHandshake(Map.of("ut_metadata", 2), "TorFS 0.1.0", 500).toMessage());
    }

    /** Encodes on one channel and returns the bytes. */
    private static ByteBuf encode(Object... msgs) {
        EmbeddedChannel enc = new EmbeddedChannel(WireEncoder.INSTANCE);
        for (Object m : msgs) {
            enc.writeOutbound(m);
        }
        ByteBuf all = Unpooled.buffer();
        for (Object o; (o = enc.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            all.writeBytes(b);
            b.release();
        }
        return all;
    }

    private static List<Object> drain(EmbeddedChannel ch) {
        List<Object> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add(o);
        }
        return out;
    }

    @Test
    void extensionHandshakeCarriesOurListenPortAndDropsAPortOutOfRange() {
        ExtensionHandshake ours = new ExtensionHandshake(Map.of(PexMessage.NAME, 1), "TorFS", 500, 0, 6881);
        assertThat(ExtensionHandshake.parse(ours.encode())).isEqualTo(ours);
        byte[] bad = "d1:md6:ut_pexi1ee1:pi70000ee".getBytes(StandardCharsets.US_ASCII);
        assertThat(ExtensionHandshake.parse(bad).listenPort()).isZero();
        assertThat(new ExtensionHandshake(Map.of(), "x", 5).encode())
                .asString(StandardCharsets.US_ASCII).doesNotContain("1:p");
    }

    @Test
    void everyMessageSurvivesARoundTrip() {
        for (PeerMessage m : samples()) {
            EmbeddedChannel dec = new EmbeddedChannel(new WireDecoder(false));
            dec.writeInbound(encode(m));
            Object got = dec.readInbound();
            if (m instanceof PeerMessage.Extended e) {
                PeerMessage.Extended g = (PeerMessage.Extended) got;
                assertThat(g.extId()).isEqualTo(0);
                ExtensionHandshake h = ExtensionHandshake.parse(g.payload());
                assertThat(h.client()).isEqualTo("TorFS 0.1.0");
                assertThat(h.requestQueue()).isEqualTo(500);
                assertThat(h.extensions()).containsEntry("ut_metadata", 2);
            } else {
                assertThat(got).as("%s", m).isEqualTo(m);
            }
            assertThat(dec.isOpen()).isTrue();
        }
    }

    @Test
    void bitfieldAndHandshakeSurviveARoundTrip() {
        byte[] peerId = "-TF0001-abcdefghijkl".getBytes(StandardCharsets.US_ASCII);
        Handshake hs = Handshake.ours(HASH, peerId);
        EmbeddedChannel dec = new EmbeddedChannel(new WireDecoder(true));
        dec.writeInbound(encode(hs, new PeerMessage.BitfieldMsg(new byte[] {(byte) 0xA0, 1})));
        Handshake got = dec.readInbound();
        assertThat(got).isEqualTo(hs);
        assertThat(got.supportsFast()).isTrue();
        assertThat(got.supportsExtensions()).isTrue();
        PeerMessage.BitfieldMsg bf = dec.readInbound();
        assertThat(bf.bits()).containsExactly((byte) 0xA0, 1);
    }

    @Test
    void pieceCarriesARetainedSliceThatIsReleasedOnce() {
        ByteBuf block = Unpooled.buffer().writeBytes(new byte[16384]);
        block.setByte(100, 7);
        ByteBuf wire = encode(new PeerMessage.Piece(3, 16384, block));
        assertThat(block.refCnt()).isZero(); // the encoder released what it wrote
        EmbeddedChannel dec = new EmbeddedChannel(new WireDecoder(false));
        dec.writeInbound(wire);
        PeerMessage.Piece p = dec.readInbound();
        assertThat(p.piece()).isEqualTo(3);
        assertThat(p.begin()).isEqualTo(16384);
        assertThat(p.data().readableBytes()).isEqualTo(16384);
        assertThat(p.data().getByte(100)).isEqualTo((byte) 7);
        assertThat(p.release()).isTrue();
        assertThat(dec.finish()).isFalse();
    }

    @Test
    void framesSplitIntoSingleBytesStillDecode() {
        ByteBuf wire = encode(samples().toArray());
        EmbeddedChannel dec = new EmbeddedChannel(new WireDecoder(false));
        while (wire.isReadable()) {
            dec.writeInbound(wire.readRetainedSlice(1));
        }
        wire.release();
        assertThat(drain(dec)).hasSize(samples().size());
    }

    @Test
    void coalescedFramesAllDecode() {
        EmbeddedChannel dec = new EmbeddedChannel(new WireDecoder(false));
        dec.writeInbound(encode(samples().toArray()));
        List<Object> got = drain(dec);
        assertThat(got).hasSize(samples().size());
        assertThat(got.get(5)).isEqualTo(new PeerMessage.Have(123456));
    }

    @Test
    void oversizedLengthPrefixDisconnects() {
        EmbeddedChannel dec = new EmbeddedChannel(new WireDecoder(false));
        ByteBuf b = Unpooled.buffer().writeInt(0xFFFFFFFF).writeByte(PeerMessage.PIECE).writeLong(0);
        try {
            dec.writeInbound(b);
        } catch (WireException expected) {
            // EmbeddedChannel rethrows what the decoder fired; the channel must be closed anyway
        }
        assertThat(dec.isOpen()).isFalse();
        assertThat(drain(dec)).isEmpty();
    }

    @Test
    void frameOneByteOverTheLimitDisconnects() {
        EmbeddedChannel dec = new EmbeddedChannel(new WireDecoder(false));
        try {
            dec.writeInbound(Unpooled.buffer().writeInt(WireDecoder.MAX_FRAME + 1));
        } catch (WireException expected) {
            // closed below
        }
        assertThat(dec.isOpen()).isFalse();
    }

    @Test
    void pieceLargerThanOneBlockDisconnectsBeforeBuffering() {
        EmbeddedChannel dec = new EmbeddedChannel(new WireDecoder(false));
        try {
            dec.writeInbound(Unpooled.buffer().writeInt(WireDecoder.MAX_PIECE_FRAME + 1)
                    .writeByte(PeerMessage.PIECE));
        } catch (WireException expected) {
            // closed below
        }
        assertThat(dec.isOpen()).isFalse();
    }

    @Test
    void unknownMessageIdIsSkippedAndDecodingContinues() {
        EmbeddedChannel dec = new EmbeddedChannel(new WireDecoder(false));
        ByteBuf b = Unpooled.buffer().writeInt(4).writeByte(21).writeBytes(new byte[] {9, 9, 9});
        b.writeBytes(encode(new PeerMessage.Have(5)));
        dec.writeInbound(b);
        assertThat(drain(dec)).containsExactly(new PeerMessage.Unknown(21, 3), new PeerMessage.Have(5));
        assertThat(dec.isOpen()).isTrue();
    }

    @Test
    void truncatedFrameWaitsForTheRest() {
        ByteBuf wire = encode(new PeerMessage.Request(1, 2, 3));
        EmbeddedChannel dec = new EmbeddedChannel(new WireDecoder(false));
        dec.writeInbound(wire.readRetainedSlice(10));
        assertThat(drain(dec)).isEmpty();
        dec.writeInbound(wire);
        assertThat(drain(dec)).containsExactly(new PeerMessage.Request(1, 2, 3));
    }

    @Test
    void messageShorterThanItsTypeDisconnects() {
        EmbeddedChannel dec = new EmbeddedChannel(new WireDecoder(false));
        try {
            dec.writeInbound(Unpooled.buffer().writeInt(3).writeByte(PeerMessage.HAVE).writeShort(1));
        } catch (WireException expected) {
            // closed below
        }
        assertThat(dec.isOpen()).isFalse();
    }

    @Test
    void pieceWithoutHeaderDisconnects() {
        EmbeddedChannel dec = new EmbeddedChannel(new WireDecoder(false));
        try {
            dec.writeInbound(Unpooled.buffer().writeInt(5).writeByte(PeerMessage.PIECE).writeInt(1));
        } catch (WireException expected) {
            // closed below
        }
        assertThat(dec.isOpen()).isFalse();
    }

    @Test
    void garbageInsteadOfHandshakeDisconnects() {
        EmbeddedChannel dec = new EmbeddedChannel(new WireDecoder(true));
        try {
            dec.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n", StandardCharsets.US_ASCII));
        } catch (WireException expected) {
            // closed below
        }
        assertThat(dec.isOpen()).isFalse();
    }

    @Test
    void extensionHandshakeThatIsNotADictionaryIsRejected() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> ExtensionHandshake.parse("i3e".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(WireException.class);
    }
}
