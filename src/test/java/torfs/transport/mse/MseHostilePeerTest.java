package torfs.transport.mse;

import static org.assertj.core.api.Assertions.assertThat;
import static torfs.transport.mse.MsePeers.HASH;
import static torfs.transport.mse.MsePeers.buf;
import static torfs.transport.mse.MsePeers.read;
import static torfs.transport.mse.MsePeers.written;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Each way a peer can break the handshake closes the connection, with nothing passed on. */
class MseHostilePeerTest {
    private static final byte[] BT = MseKeysTest.concat(new byte[] {19},
            "BitTorrent protocol".getBytes(StandardCharsets.US_ASCII), new byte[48]);

    private final MsePeers.ScriptedInitiator a = new MsePeers.ScriptedInitiator();

    private static EmbeddedChannel responder(Encryption mode) {
        return new EmbeddedChannel(new IncomingDetector(mode, () -> List.of(HASH)));
    }

    /** A responder that has answered our Ya (with PadA of {@code padA} bytes). */
    private EmbeddedChannel answered(Encryption mode, int padA) {
        EmbeddedChannel b = responder(mode);
        b.writeInbound(buf(a.ya(), new byte[padA]));
        a.heard(Arrays.copyOf(written(b), 96), HASH);
        return b;
    }

    private void assertClosedWithNothingPassedOn(EmbeddedChannel ch) {
        assertThat(ch.isOpen()).isFalse();
        assertThat(read(ch)).isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    void noReq1Within532BytesAfterYaCloses() {
        EmbeddedChannel b = answered(Encryption.PREFER, 0);
        b.writeInbound(Unpooled.wrappedBuffer(new byte[531]));
        assertThat(b.isOpen()).isTrue();
        b.writeInbound(Unpooled.wrappedBuffer(new byte[1]));
        assertClosedWithNothingPassedOn(b);
    }

    @Test
    void req1AfterMoreThan512BytesOfPaddingCloses() {
        EmbeddedChannel b = answered(Encryption.PREFER, 513);
        b.writeInbound(buf(MseKeys.req1(a.secret)));
        assertClosedWithNothingPassedOn(b);
    }

    @Test
    void req1AfterExactly512BytesOfPaddingIsFound() {
        EmbeddedChannel b = answered(Encryption.PREFER, 512);
        b.writeInbound(buf(MseKeys.req1(a.secret), MseKeys.req2xor3(HASH, a.secret),
                a.step3(new byte[8], Encryption.RC4, new byte[0], 0, BT)));
        assertThat(b.isOpen()).isTrue();
        assertThat(read(b)).isEqualTo(BT);
    }

    @Test
    void dhKeyBeyondThePrimeCloses() {
        EmbeddedChannel b = responder(Encryption.PREFER);
        byte[] ff = new byte[96];
        Arrays.fill(ff, (byte) 0xff);
        b.writeInbound(Unpooled.wrappedBuffer(ff));
        assertThat(written(b)).as("no Yb for a bad Ya").isEmpty();
        assertClosedWithNothingPassedOn(b);
    }

    @Test
    void shortDhKeyThenSilenceTimesOut() {
        EmbeddedChannel b = responder(Encryption.PREFER);
        b.writeInbound(Unpooled.wrappedBuffer(new byte[50])); // half a DH key, then nothing
        b.advanceTimeBy(MseHandshake.TIMEOUT_SECONDS - 1, TimeUnit.SECONDS);
        b.runScheduledPendingTasks();
        assertThat(b.isOpen()).isTrue();
        b.advanceTimeBy(2, TimeUnit.SECONDS);
        b.runScheduledPendingTasks();
        assertClosedWithNothingPassedOn(b);
    }

    @Test
    void skeyMatchingNoTorrentCloses() {
        EmbeddedChannel b = answered(Encryption.PREFER, 10);
        b.writeInbound(buf(MseKeys.req1(a.secret), MseKeys.req2xor3(MsePeers.OTHER_HASH, a.secret)));
        assertClosedWithNothingPassedOn(b);
    }

    @Test
    void wrongVcCloses() {
        EmbeddedChannel b = answered(Encryption.PREFER, 0);
        b.writeInbound(buf(MseKeys.req1(a.secret), MseKeys.req2xor3(HASH, a.secret),
                a.step3(new byte[] {0, 0, 0, 0, 0, 0, 0, 1}, Encryption.RC4, new byte[0], 0, BT)));
        assertClosedWithNothingPassedOn(b);
    }

    @Test
    void padCLongerThan512Closes() {
        EmbeddedChannel b = answered(Encryption.PREFER, 0);
        b.writeInbound(buf(MseKeys.req1(a.secret), MseKeys.req2xor3(HASH, a.secret),
                a.step3(new byte[8], Encryption.RC4, new byte[0], 513, new byte[0])));
        assertClosedWithNothingPassedOn(b);
    }

    @Test
    void cryptoProvideWithNothingWeAllowCloses() {
        EmbeddedChannel b = answered(Encryption.REQUIRE, 0);
        b.writeInbound(buf(MseKeys.req1(a.secret), MseKeys.req2xor3(HASH, a.secret),
                a.step3(new byte[8], Encryption.PLAINTEXT, new byte[0], 0, BT)));
        assertClosedWithNothingPassedOn(b);
        EmbeddedChannel none = answered(Encryption.PREFER, 0);
        none.writeInbound(buf(MseKeys.req1(a.secret), MseKeys.req2xor3(HASH, a.secret),
                a.step3(new byte[8], 0x04, new byte[0], 0, BT)));
        assertClosedWithNothingPassedOn(none);
    }

    @Test
    void plaintextHandshakeRefusedWhenEncryptionIsRequired() {
        EmbeddedChannel b = responder(Encryption.REQUIRE);
        b.writeInbound(Unpooled.wrappedBuffer(BT));
        assertClosedWithNothingPassedOn(b);
    }

    @Test
    void encryptedHandshakeRefusedWhenEncryptionIsDisabled() {
        EmbeddedChannel b = responder(Encryption.DISABLE);
        b.writeInbound(Unpooled.wrappedBuffer(a.ya()));
        assertThat(written(b)).isEmpty();
        assertClosedWithNothingPassedOn(b);
    }

    // ---- against our initiator ----

    private static byte[] yaOf(EmbeddedChannel initiator) {
        return Arrays.copyOf(written(initiator), 96);
    }

    @Test
    void noVcWithin520BytesAfterYbCloses() {
        EmbeddedChannel i = new EmbeddedChannel(new MseInitiator(Encryption.PREFER, HASH, null));
        yaOf(i);
        DiffieHellman b = new DiffieHellman(MsePeers.X);
        i.writeInbound(buf(b.publicKey(), new byte[519]));
        assertThat(i.isOpen()).isTrue();
        i.writeInbound(Unpooled.wrappedBuffer(new byte[1]));
        assertClosedWithNothingPassedOn(i);
    }

    private EmbeddedChannel initiatorHearing(Encryption mode, byte[] step4) {
        EmbeddedChannel i = new EmbeddedChannel(new MseInitiator(mode, HASH, null));
        i.writeOutbound(Unpooled.wrappedBuffer(BT));
        DiffieHellman b = new DiffieHellman(MsePeers.X);
        byte[] s = b.secret(yaOf(i));
        MseKeys.cipherB(s, HASH).crypt(step4, 0, step4.length);
        i.writeInbound(buf(b.publicKey(), step4));
        return i;
    }

    @Test
    void selectNotOfferedCloses() {
        EmbeddedChannel i = initiatorHearing(Encryption.REQUIRE, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0});
        assertClosedWithNothingPassedOn(i);
        EmbeddedChannel both = initiatorHearing(Encryption.PREFER, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0});
        assertClosedWithNothingPassedOn(both);
    }

    @Test
    void padDLongerThan512Closes() {
        EmbeddedChannel i = initiatorHearing(Encryption.PREFER, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 1});
        assertClosedWithNothingPassedOn(i);
    }

    @Test
    void initiatorDhKeyOfOneCloses() {
        EmbeddedChannel i = new EmbeddedChannel(new MseInitiator(Encryption.PREFER, HASH, null));
        byte[] one = new byte[96];
        one[95] = 1;
        i.writeInbound(Unpooled.wrappedBuffer(one));
        assertClosedWithNothingPassedOn(i);
    }
}
