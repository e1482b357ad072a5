package torfs.dht;

import java.net.InetAddress;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import torfs.metainfo.InfoHash;

/**
 * announce_peer tokens (BEP 5): a token is the first 8 bytes of SHA-1(secret, requester's IP).
 * The secret changes every 5 minutes and the one before it is still accepted, so a token stays
 * valid for 5 to 10 minutes and we keep no state per requester. Time is passed in.
 */
final class Tokens {
    static final long ROTATE_MS = 5 * 60_000L;
    static final int LENGTH = 8;
    private final Random random;
    private byte[] current;
    private byte[] previous;
    private long rotatedAt;

    Tokens(Random random, long now) {
        this.random = random;
        this.current = secret();
        this.previous = secret();
        this.rotatedAt = now;
    }

    byte[] issue(InetAddress requester, long now) {
        rotate(now);
        return token(current, requester);
    }

    boolean accepts(byte[] token, InetAddress requester, long now) {
        rotate(now);
        return MessageDigest.isEqual(token, token(current, requester))
                || MessageDigest.isEqual(token, token(previous, requester));
    }

    private void rotate(long now) {
        while (now - rotatedAt >= ROTATE_MS) {
            previous = current;
            current = secret();
            rotatedAt += ROTATE_MS;
            if (now - rotatedAt >= ROTATE_MS) {
                rotatedAt = now - ROTATE_MS; // long idle: two fresh secrets are enough
            }
        }
    }

    private byte[] secret() {
        byte[] s = new byte[16];
        random.nextBytes(s);
        return s;
    }

    private static byte[] token(byte[] secret, InetAddress requester) {
        MessageDigest sha1 = InfoHash.newSha1();
        sha1.update(secret);
        sha1.update(requester.getAddress());
        return Arrays.copyOf(sha1.digest(), LENGTH);
    }
}
