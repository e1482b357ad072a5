package torfs.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * Fuzz targets for the parsers of peer bytes. Plain {@code mvn test} replays the saved inputs;
 * JAZZER_FUZZ=1 fuzzes. Whatever arrives, the decoder either yields messages or closes the
 * connection with a {@link WireException}; it never throws anything else.
 */
class WireFuzzTest {
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

    @FuzzTest(maxDuration = "60s")
    void extensionHandshake(byte[] data) {
        try {
            ExtensionHandshake h = ExtensionHandshake.parse(data);
            assertThat(h.requestQueue()).isBetween(0, 100_000);
            h.extensions().values().forEach(id -> assertThat(id).isBetween(0, 255));
        } catch (WireException e) {
            // our own error: fine
        }
    }
}
