package torfs.transport.mse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hashes MSE derives from the DH secret S and SKEY (the info-hash): the markers req1,
 * req2, req3 and the two RC4 keys, A's for what the initiator sends and B's for the answer.
 */
final class MseKeys {
    /** RC4's first bytes leak key bits: the spec throws 1024 of each keystream away. */
    static final int DISCARD = 1024;

    private MseKeys() {
    }

    static byte[] req1(byte[] s) {
        return sha1(ascii("req1"), s);
    }

    static byte[] req2(byte[] skey) {
        return sha1(ascii("req2"), skey);
    }

    static byte[] req3(byte[] s) {
        return sha1(ascii("req3"), s);
    }

    /** What the initiator sends after req1: HASH('req2', SKEY) xor HASH('req3', S). */
    static byte[] req2xor3(byte[] skey, byte[] s) {
        byte[] a = req2(skey);
        byte[] b = req3(s);
        for (int k = 0; k < a.length; k++) {
            a[k] ^= b[k];
        }
        return a;
    }

    /** The cipher of what the initiator (A) sends. */
    static Rc4 cipherA(byte[] s, byte[] skey) {
        return new Rc4(sha1(ascii("keyA"), s, skey)).discard(DISCARD);
    }

    /** The cipher of what the responder (B) sends. */
    static Rc4 cipherB(byte[] s, byte[] skey) {
        return new Rc4(sha1(ascii("keyB"), s, skey)).discard(DISCARD);
    }

    static byte[] sha1(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
