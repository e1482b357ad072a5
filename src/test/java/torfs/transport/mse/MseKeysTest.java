package torfs.transport.mse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Fixed private keys: the public keys, the secret, the markers and the first RC4 bytes each
 * checked against a second, plain computation written here (BigInteger.modPow, a textbook RC4
 * over a byte array, SHA-1 of concatenated strings).
 */
class MseKeysTest {
    private static final BigInteger XA = new BigInteger("1234567890abcdef1234567890abcdef12345678", 16);
    private static final BigInteger XB = new BigInteger("fedcba0987654321fedcba0987654321fedcba09", 16);
    private static final byte[] SKEY = bytes(20, 7);

    @Test
    void primeIsTheSpecs768BitPrime() {
        assertThat(DiffieHellman.P.bitLength()).isEqualTo(768);
        assertThat(DiffieHellman.P.isProbablePrime(50)).isTrue();
        assertThat(DiffieHellman.P.toString(16)).endsWith("a63a36210000000000090563");
    }

    @Test
    void bothSidesDeriveTheSameSecretAsModPow() {
        DiffieHellman a = new DiffieHellman(XA);
        DiffieHellman b = new DiffieHellman(XB);
        assertThat(a.publicKey()).isEqualTo(fixed96(BigInteger.TWO.modPow(XA, DiffieHellman.P)));
        byte[] s1 = a.secret(b.publicKey());
        byte[] s2 = b.secret(a.publicKey());
        assertThat(s1).isEqualTo(s2).hasSize(96);
        assertThat(s1).isEqualTo(fixed96(BigInteger.TWO.modPow(XA.multiply(XB), DiffieHellman.P)));
    }

    @Test
    void keysAndFirstRc4BytesMatchAPlainComputation() throws Exception {
        byte[] s = new DiffieHellman(XA).secret(new DiffieHellman(XB).publicKey());
        byte[] keyA = sha1(concat("keyA".getBytes(StandardCharsets.US_ASCII), s, SKEY));
        byte[] keyB = sha1(concat("keyB".getBytes(StandardCharsets.US_ASCII), s, SKEY));
        assertThat(MseKeys.cipherA(s, SKEY).keystream(64)).isEqualTo(Arrays.copyOfRange(textbookRc4(keyA, 1024 + 64), 1024, 1088));
        assertThat(MseKeys.cipherB(s, SKEY).keystream(64)).isEqualTo(Arrays.copyOfRange(textbookRc4(keyB, 1024 + 64), 1024, 1088));
        assertThat(MseKeys.req1(s)).isEqualTo(sha1(concat("req1".getBytes(StandardCharsets.US_ASCII), s)));
        byte[] r2 = sha1(concat("req2".getBytes(StandardCharsets.US_ASCII), SKEY));
        byte[] r3 = sha1(concat("req3".getBytes(StandardCharsets.US_ASCII), s));
        byte[] x = new byte[20];
        for (int i = 0; i < 20; i++) {
            x[i] = (byte) (r2[i] ^ r3[i]);
        }
        assertThat(MseKeys.req2xor3(SKEY, s)).isEqualTo(x);
    }

    @Test
    void rc4MatchesAKnownVector() {
        // RFC 6229, key 0x0102030405, keystream at offset 0
        Rc4 r = new Rc4(new byte[] {1, 2, 3, 4, 5});
        assertThat(hex(r.keystream(16))).isEqualTo("b2396305f03dc027ccc3524a0a1118a8");
    }

    @Test
    void rc4OnBuffersWithoutArraysMatchesArrays() {
        byte[] data = bytes(20_000, 3);
        byte[] viaArray = data.clone();
        new Rc4(SKEY).crypt(viaArray, 0, viaArray.length);
        io.netty.buffer.ByteBuf direct = io.netty.buffer.Unpooled.directBuffer().writeBytes(data);
        new Rc4(SKEY).cryptInPlace(direct);
        byte[] out = new byte[data.length];
        direct.readBytes(out);
        direct.release();
        assertThat(out).isEqualTo(viaArray);
    }

    @Test
    void degenerateDhKeysAreRefused() {
        DiffieHellman a = new DiffieHellman(XA);
        assertThatThrownBy(() -> a.secret(new byte[96])).isInstanceOf(MseException.class);
        assertThatThrownBy(() -> a.secret(fixed96(BigInteger.ONE))).isInstanceOf(MseException.class);
        assertThatThrownBy(() -> a.secret(fixed96(DiffieHellman.P.subtract(BigInteger.ONE)))).isInstanceOf(MseException.class);
        byte[] ff = new byte[96];
        Arrays.fill(ff, (byte) 0xff);
        assertThatThrownBy(() -> a.secret(ff)).isInstanceOf(MseException.class);
        assertThatThrownBy(() -> a.secret(new byte[95])).isInstanceOf(MseException.class);
    }

    static byte[] textbookRc4(byte[] key, int n) {
        int[] S = new int[256];
        for (int i = 0; i < 256; i++) {
            S[i] = i;
        }
        int j = 0;
        for (int i = 0; i < 256; i++) {
            j = (j + S[i] + (key[i % key.length] & 0xff)) % 256;
            int t = S[i];
            S[i] = S[j];
            S[j] = t;
        }
        byte[] out = new byte[n];
        int i = 0;
        j = 0;
        for (int k = 0; k < n; k++) {
            i = (i + 1) % 256;
            j = (j + S[i]) % 256;
            int t = S[i];
            S[i] = S[j];
            S[j] = t;
            out[k] = (byte) S[(S[i] + S[j]) % 256];
        }
        return out;
    }

    private static byte[] fixed96(BigInteger v) {
        String h = v.toString(16);
        h = "0".repeat(192 - h.length()) + h;
        byte[] out = new byte[96];
        for (int i = 0; i < 96; i++) {
            out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    static byte[] sha1(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-1").digest(b);
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }
}
