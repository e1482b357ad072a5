package torfs.transport.mse;

import io.netty.buffer.ByteBuf;

/**
 * RC4, written here because the JDK's ARCFOUR may be disabled by security policy. MSE uses it
 * with the first 1024 bytes of keystream thrown away ({@link #discard}). The handshake's cipher;
 * after it, the bulk one too where libcrypto is missing ({@link BulkCipher}), which takes over at
 * {@link #position}. Not thread-safe: one instance per direction of one connection, used on its
 * event loop.
 */
final class Rc4 {
    private static final int CHUNK = 8192;
    private final int[] s = new int[256];
    private final byte[] key;
    private int i;
    private int j;
    /** Keystream bytes used so far: where a {@link BulkCipher} taking over starts. */
    private long position;
    /** Holds bytes of a buffer without an array while they are crypted. */
    private byte[] scratch;

    Rc4(byte[] key) {
        this.key = key.clone();
        for (int k = 0; k < 256; k++) {
            s[k] = k;
        }
        for (int k = 0, x = 0; k < 256; k++) {
            x = (x + s[k] + (key[k % key.length] & 0xff)) & 0xff;
            int t = s[k];
            s[k] = s[x];
            s[x] = t;
        }
    }

    private Rc4(Rc4 other) {
        System.arraycopy(other.s, 0, s, 0, 256);
        key = other.key;
        i = other.i;
        j = other.j;
        position = other.position;
    }

    byte[] key() {
        return key.clone();
    }

    long position() {
        return position;
    }

    /** A copy at the same position: lets the initiator know B's encrypted VC before reading it. */
    Rc4 copy() {
        return new Rc4(this);
    }

    Rc4 discard(int n) {
        crypt(new byte[n], 0, n);
        return this;
    }

    /** XORs {@code len} bytes of {@code b} with the keystream, in place. */
    void crypt(byte[] b, int off, int len) {
        int[] st = s;
        int x = i;
        int y = j;
        for (int k = off, end = off + len; k < end; k++) {
            x = (x + 1) & 0xff;
            int sx = st[x];
            y = (y + sx) & 0xff;
            int sy = st[y];
            st[x] = sy;
            st[y] = sx;
            b[k] ^= (byte) st[(sx + sy) & 0xff];
        }
        i = x;
        j = y;
        position += len;
    }

    /** The next {@code n} keystream bytes (what zeros encrypt to). */
    byte[] keystream(int n) {
        byte[] b = new byte[n];
        crypt(b, 0, n);
        return b;
    }

    /** Crypts the readable bytes of {@code buf} in place (it must not be shared). */
    void cryptInPlace(ByteBuf buf) {
        crypt(buf, buf.readerIndex(), buf.readableBytes());
    }

    void crypt(ByteBuf buf, int index, int len) {
        if (buf.hasArray()) {
            crypt(buf.array(), buf.arrayOffset() + index, len);
            return;
        }
        if (scratch == null) {
            scratch = new byte[CHUNK];
        }
        for (int done = 0; done < len; ) {
            int n = Math.min(CHUNK, len - done);
            buf.getBytes(index + done, scratch, 0, n);
            crypt(scratch, 0, n);
            buf.setBytes(index + done, scratch, 0, n);
            done += n;
        }
    }
}
