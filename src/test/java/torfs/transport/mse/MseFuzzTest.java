package torfs.transport.mse;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Arrays;
import java.util.List;

/**
 * The responder's parser on a peer's bytes: it completes, waits or closes; nothing escapes,
 * what it buffers stays within the spec's windows plus what arrived, nothing leaks. Seeds in
 * MseFuzzTestInputs/ are replayed by plain {@code mvn test}.
 */
class MseFuzzTest {
    /** Raw bytes from the first byte on, in chunks the first input byte picks. */
    @FuzzTest(maxDuration = "60s")
    void responderBytes(FuzzedDataProvider data) {
        int chunk = data.consumeInt(1, 700);
        byte[] stream = data.consumeRemainingAsBytes();
        run(new byte[0], stream, chunk, null);
    }

    /**
     * A valid Ya, req1 and SKEY, then the fuzzer's bytes as the plaintext of the encrypted part
     * (VC, crypto_provide, PadC, IA, payload): the parser past the synchronisation.
     */
    @FuzzTest(maxDuration = "60s")
    void responderAfterSkey(FuzzedDataProvider data) {
        int chunk = data.consumeInt(1, 700);
        byte[] plain = data.consumeRemainingAsBytes();
        run(null, plain, chunk, plain);
    }

    private static void run(byte[] prefix, byte[] stream, int chunk, byte[] encryptedTail) {
        EmbeddedChannel ch = new EmbeddedChannel(new IncomingDetector(Encryption.PREFER, () -> List.of(MsePeers.HASH)));
        byte[] bytes = stream;
        if (encryptedTail != null) {
            MsePeers.ScriptedInitiator a = new MsePeers.ScriptedInitiator();
            ch.writeInbound(Unpooled.wrappedBuffer(a.ya()));
            a.heard(Arrays.copyOf(MsePeers.written(ch), 96), MsePeers.HASH);
            byte[] tail = encryptedTail.clone();
            a.encrypt.crypt(tail, 0, tail.length);
            bytes = MseKeysTest.concat(MseKeys.req1(a.secret), MseKeys.req2xor3(MsePeers.HASH, a.secret), tail);
        }
        long passedOn = 0;
        for (int i = 0; i < bytes.length && ch.isOpen(); i += chunk) {
            ByteBuf b = Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + chunk)));
            ch.writeInbound(b);
            MseHandshake h = ch.pipeline().get(MseHandshake.class);
            if (h != null && h.in != null) {
                // the sync windows (96 + 512 + 20) plus the fixed fields and PadC, or an IA (<= 64 KiB)
                assertThat(h.in.readableBytes()).isLessThanOrEqualTo(96 + 532 + 20 + 14 + 514 + 0xffff + chunk);
            }
            for (Object o; (o = ch.readInbound()) != null; ) {
                passedOn += ((ByteBuf) o).readableBytes();
                ((ByteBuf) o).release();
            }
            // after the hand-over a buffer may travel on itself (decrypted in place): released above
            assertThat(b.refCnt()).as("input buffer leaked").isZero();
        }
        MsePeers.written(ch);
        assertThat(passedOn).isLessThanOrEqualTo(bytes.length);
        ch.finishAndReleaseAll();
    }
}
