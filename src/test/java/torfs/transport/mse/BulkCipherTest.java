package torfs.transport.mse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The bulk cipher that takes over from the handshake's {@link Rc4} continues its keystream
 * exactly, whichever kind of buffer it is given: libcrypto's RC4 is checked against the Java
 * one, itself checked against independent vectors in {@link MseKeysTest}.
 */
class BulkCipherTest {
    private static final byte[] KEY = "an MSE key of twenty".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Test
    void openSslContinuesTheHandshakeKeystreamInEveryKindOfBuffer() {
        assumeTrue(OpenSslRc4.available(), "libcrypto is not installed");
        Rc4 handshake = new Rc4(KEY).discard(1024);
        handshake.keystream(77); // the handshake's own bytes: VC, crypto_select, padding...
        Rc4 reference = handshake.copy();
        BulkCipher bulk = BulkCipher.continuing(handshake);
        assertThat(bulk).isInstanceOf(OpenSslRc4.class);

        byte[] plain = random(200_000);
        byte[] expected = plain.clone();
        reference.crypt(expected, 0, expected.length);

        // direct, heap and composite pieces, crypted in place, in order along the keystream
        ByteBuf direct = Unpooled.directBuffer().writeBytes(plain, 0, 70_000);
        ByteBuf heap = Unpooled.buffer().writeBytes(plain, 70_000, 50_000);
        CompositeByteBuf composite = Unpooled.compositeBuffer();
        composite.addComponent(true, Unpooled.directBuffer().writeBytes(plain, 120_000, 30_000));
        composite.addComponent(true, Unpooled.buffer().writeBytes(plain, 150_000, 20_000));
        bulk.crypt(direct, 0, direct.readableBytes());
        bulk.crypt(heap, 0, heap.readableBytes());
        bulk.crypt(composite, composite.readerIndex(), composite.readableBytes());
        // and the rest crypted into a new buffer, from a direct source left unchanged
        ByteBuf src = Unpooled.directBuffer().writeBytes(plain, 170_000, 30_000);
        ByteBuf out = Unpooled.directBuffer(30_000);
        bulk.cryptInto(src, out);

        byte[] got = new byte[plain.length];
        direct.getBytes(0, got, 0, 70_000);
        heap.getBytes(0, got, 70_000, 50_000);
        composite.getBytes(composite.readerIndex(), got, 120_000, 50_000);
        out.getBytes(0, got, 170_000, 30_000);
        assertThat(got).isEqualTo(expected);
        byte[] srcAfter = new byte[30_000];
        src.getBytes(0, srcAfter);
        assertThat(srcAfter).isEqualTo(java.util.Arrays.copyOfRange(plain, 170_000, 200_000));
        for (ByteBuf b : new ByteBuf[] {direct, heap, composite, src, out}) {
            b.release();
        }
    }

    @Test
    void cryptIntoFromAHeapSourceMatchesInPlace() {
        byte[] plain = random(40_000);
        for (boolean openSsl : new boolean[] {false, true}) {
            if (openSsl && !OpenSslRc4.available()) {
                continue;
            }
            Rc4 a = new Rc4(KEY).discard(1024);
            BulkCipher bulk = openSsl ? new OpenSslRc4(KEY, a.position()) : new BulkCipher.JavaRc4(a.copy());
            ByteBuf src = Unpooled.wrappedBuffer(plain.clone());
            ByteBuf out = Unpooled.buffer();
            bulk.cryptInto(src, out);
            byte[] expected = plain.clone();
            a.crypt(expected, 0, expected.length);
            byte[] got = new byte[plain.length];
            out.getBytes(0, got);
            assertThat(got).as(openSsl ? "libcrypto" : "java").isEqualTo(expected);
            assertThat(src.array()).isEqualTo(plain);
        }
    }

    @Test
    void theHandshakeCipherCountsItsKeystream() {
        Rc4 rc4 = new Rc4(KEY).discard(1024);
        rc4.keystream(10);
        rc4.crypt(Unpooled.buffer().writeZero(5000), 0, 5000);
        assertThat(rc4.position()).isEqualTo(1024 + 10 + 5000);
        assertThat(rc4.copy().position()).isEqualTo(rc4.position());
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(42).nextBytes(b);
        return b;
    }
}
