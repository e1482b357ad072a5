package torfs.transport.mse;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * One side of MSE's Diffie-Hellman exchange: the spec's 768-bit prime P, generator 2, a
 * 160-bit private key. Public keys travel as exactly 96 big-endian bytes, as does the secret S.
 */
final class DiffieHellman {
    static final int KEY_BYTES = 96;
    static final BigInteger P = new BigInteger(
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
                    + "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A63A36210000000000090563",
            16);
    static final BigInteger G = BigInteger.TWO;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final BigInteger privateKey;

    DiffieHellman(BigInteger privateKey) {
        this.privateKey = privateKey;
    }

    static DiffieHellman random() {
        return new DiffieHellman(new BigInteger(160, RANDOM).setBit(159));
    }

    byte[] publicKey() {
        return toBytes(G.modPow(privateKey, P));
    }

    /**
     * S from the peer's 96 bytes. A key of 0, 1, P-1 or beyond P would make S guessable (or is
     * not a key at all): refused.
     */
    byte[] secret(byte[] theirs) {
        if (theirs.length != KEY_BYTES) {
            throw new MseException("DH key of " + theirs.length + " bytes");
        }
        BigInteger y = new BigInteger(1, theirs);
        if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(P.subtract(BigInteger.ONE)) >= 0) {
            throw new MseException("DH key out of range");
        }
        return toBytes(y.modPow(privateKey, P));
    }

    /** Big-endian, left-padded with zeros to 96 bytes. */
    static byte[] toBytes(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[KEY_BYTES];
        int n = Math.min(raw.length, KEY_BYTES);
        System.arraycopy(raw, raw.length - n, out, KEY_BYTES - n, n);
        return out;
    }
}
