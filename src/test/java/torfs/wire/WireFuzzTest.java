package torfs.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import torfs.metainfo.InfoHash;

/**
 * A peer's bytes after a valid handshake, cut into arbitrary chunks: the decoder yields messages
 * or closes the channel with a {@link WireException}; nothing else escapes, no buffer it asks
 * for is bigger than what arrived, and every buffer is released. Seeds in
 * WireFuzzTestInputs/ are replayed by plain {@code mvn test}.
 */
class WireFuzzTest {
    private static final byte[] HANDSHAKE = handshake();

    /** The last input bytes pick the chunk size; the rest is what the peer sends. */
    @FuzzTest(maxDuration = "60s")
    void peerMessages(FuzzedDataProvider data) {
        int chunk = data.consumeInt(1, 300);
        byte[] stream = data.consumeRemainingAsBytes();
        int arriving = HANDSHAKE.length + stream.length;
        CountingAllocator alloc = new CountingAllocator();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(new WireDecoder(true));
        List<ByteBuf> fed = new ArrayList<>();

        boolean closedByDecoder = false;
        try {
            feed(ch, fed, HANDSHAKE);
            Object first = ch.readInbound();
            assertThat(first).isInstanceOf(Handshake.class);
            for (int i = 0; i < stream.length && ch.isOpen(); i += chunk) {
                byte[] part = Arrays.copyOfRange(stream, i, Math.min(stream.length, i + chunk));
                feed(ch, fed, part);
                drain(ch, stream.length);
            }
        } catch (WireException e) {
            closedByDecoder = true;
            assertThat(ch.isOpen()).as("a protocol error closes the connection").isFalse();
        }
        drain(ch, stream.length);
        // a channel closes exactly when the decoder reported a protocol error
        assertThat(ch.isOpen()).isEqualTo(!closedByDecoder);
        ch.finishAndReleaseAll();
        for (ByteBuf b : fed) {
            assertThat(b.refCnt()).as("input buffer leaked").isZero();
        }
        // the cumulation grows with what arrived, never with what a length prefix claims
        assertThat(alloc.largest).isLessThanOrEqualTo(2L * arriving + 1024);
    }

    /** Extension handshakes (BEP 10) are bencoded payloads from the peer. */
    @FuzzTest(maxDuration = "60s")
    void extensionHandshake(byte[] payload) {
        ExtensionHandshake h;
        try {
            h = ExtensionHandshake.parse(payload);
        } catch (WireException e) {
            return;
        }
        h.extensions().values().forEach(id -> assertThat(id).isBetween(0, 255));
        assertThat(h.requestQueue()).isBetween(0, 100_000);
        assertThat(h.client()).isNotNull();
    }

    /**
     * ut_pex messages (BEP 11) are bencoded payloads from the peer: a message or a
     * {@link WireException}, within the caps, and what decodes encodes and decodes the same.
     */
    @FuzzTest(maxDuration = "60s")
    void pexMessage(byte[] payload) {
        PexMessage m;
        try {
            m = PexMessage.decode(payload);
        } catch (WireException e) {
            return;
        }
        assertThat(m.added()).hasSizeLessThanOrEqualTo(2 * PexMessage.MAX_PER_LIST);
        assertThat(m.dropped()).hasSizeLessThanOrEqualTo(2 * PexMessage.MAX_PER_LIST);
        m.added().forEach(p -> {
            assertThat(p.address().getPort()).isBetween(1, 65535);
            assertThat(p.flags()).isBetween(0, 255);
        });
        if (m.added().size() > PexMessage.MAX_PER_LIST || m.dropped().size() > PexMessage.MAX_PER_LIST) {
            return; // IPv4-mapped entries of the IPv6 lists re-encode as IPv4: one list may overflow
        }
        PexMessage again = PexMessage.decode(m.encode());
        assertThat(again.added()).containsExactlyInAnyOrderElementsOf(m.added());
        assertThat(again.dropped()).containsExactlyInAnyOrderElementsOf(m.dropped());
    }

    private static void feed(EmbeddedChannel ch, List<ByteBuf> fed, byte[] bytes) {
        ByteBuf b = Unpooled.wrappedBuffer(bytes);
        fed.add(b);
        ch.writeInbound(b);
    }

    private static void drain(EmbeddedChannel ch, int streamLength) {
        for (Object o; (o = ch.readInbound()) != null; ) {
            assertThat(o).isInstanceOf(PeerMessage.class);
            check((PeerMessage) o, streamLength);
        }
    }

    private static void check(PeerMessage m, int streamLength) {
        if (m instanceof PeerMessage.Piece p) {
            try {
                assertThat(p.data().readableBytes()).isLessThanOrEqualTo(streamLength - 13);
            } finally {
                p.release();
            }
        } else if (m instanceof PeerMessage.BitfieldMsg b) {
            assertThat(b.bits().length).isLessThanOrEqualTo(streamLength - 5);
        } else if (m instanceof PeerMessage.Extended e) {
            assertThat(e.payload().length).isLessThanOrEqualTo(streamLength - 6);
            assertThat(e.extId()).isBetween(0, 255);
        } else if (m instanceof PeerMessage.Port p) {
            assertThat(p.port()).isBetween(0, 65535);
        } else if (m instanceof PeerMessage.Unknown u) {
            assertThat(u.length()).isBetween(0, WireDecoder.MAX_FRAME - 1);
        }
    }

    private static byte[] handshake() {
        byte[] h = new byte[Handshake.LENGTH];
        h[0] = (byte) Handshake.PROTOCOL.length;
        System.arraycopy(Handshake.PROTOCOL, 0, h, 1, Handshake.PROTOCOL.length);
        byte[] hash = InfoHash.sha1Of(new byte[] {1}, 0, 1).bytes();
        System.arraycopy(hash, 0, h, 28, hash.length);
        for (int i = 48; i < 68; i++) {
            h[i] = (byte) ('A' + i % 26);
        }
        return h;
    }

    /** Remembers the largest buffer the decoder asked for. */
    private static final class CountingAllocator extends AbstractByteBufAllocator {
        long largest;

        CountingAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            largest = Math.max(largest, initialCapacity);
            return new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            largest = Math.max(largest, initialCapacity);
            return new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }

    /** Raw bytes from the first byte on, with and without a handshake expected first. */
    @FuzzTest(maxDuration = "60s")
    void wireDecoder(byte[] data) {
        for (boolean handshake : new boolean[] {true, false}) {
            EmbeddedChannel ch = new EmbeddedChannel(new WireDecoder(handshake));
            try {
                // split in two to exercise partial frames as well
                int half = data.length / 2;
                ch.writeInbound(Unpooled.wrappedBuffer(data, 0, half));
                ch.writeInbound(Unpooled.wrappedBuffer(data, half, data.length - half));
            } catch (WireException e) {
                assertThat(ch.isOpen()).isFalse();
            }
            for (Object o; (o = ch.readInbound()) != null; ) {
                assertThat(o).isInstanceOfAny(Handshake.class, PeerMessage.class);
                ReferenceCountUtil.release(o);
            }
            ch.finishAndReleaseAll();
        }
    }
}
