package torfs.transport.mse;

import static org.assertj.core.api.Assertions.assertThat;
import static torfs.transport.mse.MsePeers.HASH;
import static torfs.transport.mse.MsePeers.OTHER_HASH;
import static torfs.transport.mse.MsePeers.buf;
import static torfs.transport.mse.MsePeers.pump;
import static torfs.transport.mse.MsePeers.read;
import static torfs.transport.mse.MsePeers.written;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Our initiator and responder on a pair of embedded channels, and each against a hand-made peer. */
class MseHandshakeTest {
    private static final byte[] BT = MseKeysTest.concat(new byte[] {19},
            "BitTorrent protocol".getBytes(StandardCharsets.US_ASCII), new byte[48]);

    private static EmbeddedChannel responder(Encryption mode) {
        return new EmbeddedChannel(new IncomingDetector(mode, () -> List.of(OTHER_HASH, HASH)));
    }

    @Test
    void initiatorAndResponderAgreeOnRc4AndPassTheHandshakeOn() {
        EmbeddedChannel a = new EmbeddedChannel(new MseInitiator(Encryption.PREFER, HASH, null));
        EmbeddedChannel b = responder(Encryption.PREFER);
        a.writeOutbound(Unpooled.wrappedBuffer(BT)); // held, then sent as IA
        pump(a, b);
        assertThat(a.pipeline().get(Rc4Codec.class)).isNotNull();
        assertThat(b.pipeline().get(Rc4Codec.class)).isNotNull();
        assertThat(a.pipeline().get(MseHandshake.class)).isNull();
        assertThat(read(b)).isEqualTo(BT);

        b.writeOutbound(Unpooled.wrappedBuffer(BT));
        a.writeOutbound(Unpooled.copiedBuffer("after", StandardCharsets.US_ASCII));
        byte[] onTheWire = written(a);
        assertThat(onTheWire).hasSize(5).isNotEqualTo("after".getBytes(StandardCharsets.US_ASCII));
        b.writeInbound(Unpooled.wrappedBuffer(onTheWire));
        pump(a, b);
        assertThat(new String(read(b), StandardCharsets.US_ASCII)).isEqualTo("after");
        assertThat(read(a)).isEqualTo(BT);
        assertThat(a.finishAndReleaseAll()).isFalse();
        assertThat(b.finishAndReleaseAll()).isFalse();
    }

    @Test
    void handshakeFedOneByteAtATimeStillCompletes() {
        EmbeddedChannel a = new EmbeddedChannel(new MseInitiator(Encryption.REQUIRE, HASH, null));
        EmbeddedChannel b = responder(Encryption.REQUIRE);
        a.writeOutbound(Unpooled.wrappedBuffer(BT));
        for (boolean moved = true; moved; ) {
            moved = trickle(a, b) | trickle(b, a);
        }
        assertThat(read(b)).isEqualTo(BT);
        assertThat(a.pipeline().get(Rc4Codec.class)).isNotNull();
    }

    private static boolean trickle(EmbeddedChannel from, EmbeddedChannel to) {
        byte[] bytes = written(from);
        for (byte x : bytes) {
            to.writeInbound(Unpooled.wrappedBuffer(new byte[] {x}));
        }
        return bytes.length > 0;
    }

    @Test
    void plaintextHandshakePassesTheDetectorUntouched() {
        EmbeddedChannel b = responder(Encryption.PREFER);
        b.writeInbound(Unpooled.wrappedBuffer(BT, 0, 7));
        assertThat(b.pipeline().get(IncomingDetector.class)).isNotNull();
        b.writeInbound(Unpooled.wrappedBuffer(BT, 7, BT.length - 7));
        assertThat(read(b)).isEqualTo(BT);
        assertThat(b.pipeline().get(IncomingDetector.class)).isNull();
        assertThat(b.pipeline().get(MseHandshake.class)).isNull();
        b.writeOutbound(Unpooled.wrappedBuffer(BT));
        assertThat(written(b)).isEqualTo(BT);
    }

    @Test
    void responderSelectsPlaintextForAPeerThatOffersOnlyPlaintext() {
        EmbeddedChannel b = responder(Encryption.PREFER);
        MsePeers.ScriptedInitiator a = new MsePeers.ScriptedInitiator();
        b.writeInbound(buf(a.ya(), new byte[33]));
        byte[] answer = written(b);
        a.heard(Arrays.copyOf(answer, 96), HASH);
        byte[] payloadAfterIa = "plain after IA".getBytes(StandardCharsets.US_ASCII);
        b.writeInbound(buf(MseKeys.req1(a.secret), MseKeys.req2xor3(HASH, a.secret),
                a.step3(new byte[8], Encryption.PLAINTEXT, new byte[3], 3, BT), payloadAfterIa));
        byte[] step4 = written(b);
        a.decrypt.crypt(step4, 0, step4.length);
        assertThat(Arrays.copyOf(step4, 14)).isEqualTo(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0});
        assertThat(read(b)).isEqualTo(MseKeysTest.concat(BT, payloadAfterIa));
        assertThat(b.pipeline().get(Rc4Codec.class)).isNull();
        b.writeOutbound(Unpooled.wrappedBuffer(BT));
        assertThat(written(b)).isEqualTo(BT); // plaintext from now on
    }

    @Test
    void initiatorGoesPlaintextWhenTheResponderSelectsIt() {
        EmbeddedChannel a = new EmbeddedChannel(new MseInitiator(Encryption.PREFER, HASH, null));
        a.writeOutbound(Unpooled.wrappedBuffer(BT));
        byte[] ya = Arrays.copyOf(written(a), 96);
        DiffieHellman b = new DiffieHellman(MsePeers.X);
        byte[] s = b.secret(ya);
        Rc4 toA = MseKeys.cipherB(s, HASH);
        byte[] step4 = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 9, 9};
        toA.crypt(step4, 0, step4.length);
        a.writeInbound(buf(b.publicKey(), new byte[500], step4, BT));
        byte[] step3 = written(a);
        Rc4 fromA = MseKeys.cipherA(s, HASH);
        assertThat(Arrays.copyOf(step3, 20)).isEqualTo(MseKeys.req1(s));
        byte[] rest = Arrays.copyOfRange(step3, 40, step3.length);
        fromA.crypt(rest, 0, rest.length);
        assertThat(Arrays.copyOf(rest, 16)).isEqualTo(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 68});
        assertThat(Arrays.copyOfRange(rest, 16, 16 + 68)).isEqualTo(BT);
        assertThat(read(a)).isEqualTo(BT);
        a.writeOutbound(Unpooled.wrappedBuffer(BT));
        assertThat(written(a)).isEqualTo(BT);
    }

    @Test
    void writesHeldDuringTheHandshakeGoOutEncryptedAfterIt() {
        EmbeddedChannel a = new EmbeddedChannel(new MseInitiator(Encryption.PREFER, HASH, null));
        EmbeddedChannel b = responder(Encryption.PREFER);
        a.writeOutbound(Unpooled.wrappedBuffer(BT));
        b.writeInbound(Unpooled.wrappedBuffer(written(a))); // Ya
        a.writeInbound(Unpooled.wrappedBuffer(written(b))); // Yb: a sends step 3 with BT as IA
        a.writeOutbound(Unpooled.copiedBuffer("x", StandardCharsets.US_ASCII)); // before step 4: held
        b.writeInbound(Unpooled.wrappedBuffer(written(a)));
        assertThat(read(b)).isEqualTo(BT);
        pump(a, b);
        assertThat(new String(read(b), StandardCharsets.US_ASCII)).isEqualTo("x");
    }

    @Test
    void closedBeforeCompletingRetriesInPlaintextOnce() {
        AtomicInteger retries = new AtomicInteger();
        EmbeddedChannel a = new EmbeddedChannel(new MseInitiator(Encryption.PREFER, HASH, retries::incrementAndGet));
        a.close();
        assertThat(retries).hasValue(1);
        assertThat(MseInitiator.retriedInPlaintext(a)).isTrue();

        EmbeddedChannel ok = new EmbeddedChannel(new MseInitiator(Encryption.PREFER, HASH, retries::incrementAndGet));
        EmbeddedChannel b = responder(Encryption.PREFER);
        ok.writeOutbound(Unpooled.wrappedBuffer(BT));
        pump(ok, b);
        ok.close();
        assertThat(retries).as("a completed handshake is not retried").hasValue(1);
        assertThat(MseInitiator.retriedInPlaintext(ok)).isFalse();
    }
}
