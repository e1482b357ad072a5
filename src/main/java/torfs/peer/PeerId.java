package torfs.peer;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/** Our 20-byte peer id: Azureus style {@code -TF0001-} and 12 random bytes. */
public final class PeerId {
    public static final String PREFIX = "-TF0001-";
    private static final SecureRandom RANDOM = new SecureRandom();

    private PeerId() {
    }

    public static byte[] generate() {
        byte[] id = new byte[20];
        byte[] prefix = PREFIX.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(prefix, 0, id, 0, prefix.length);
        byte[] tail = new byte[20 - prefix.length];
        RANDOM.nextBytes(tail);
        System.arraycopy(tail, 0, id, prefix.length, tail.length);
        return id;
    }
}
