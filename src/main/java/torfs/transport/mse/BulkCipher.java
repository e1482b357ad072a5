package torfs.transport.mse;

import io.netty.buffer.ByteBuf;

/**
 * The RC4 of an encrypted connection once its handshake is over, where every payload byte goes
 * through it: libcrypto's when it loads ({@link OpenSslRc4}), else {@link Rc4}'s. The handshake
 * itself always uses {@link Rc4}, which knows how far its keystream has run, so the bulk cipher
 * takes over at the same keystream position. Not thread-safe: one per direction of a connection.
 */
interface BulkCipher {
    /** XORs {@code len} bytes of {@code buf} at {@code index} with the keystream, in place. */
    void crypt(ByteBuf buf, int index, int len);

    /**
     * Appends the readable bytes of {@code src}, crypted, to {@code dst}; {@code src} is not
     * changed (an uploaded block may be shared by several peers).
     */
    void cryptInto(ByteBuf src, ByteBuf dst);

    /** The bulk cipher continuing {@code handshake}'s keystream. */
    static BulkCipher continuing(Rc4 handshake) {
        if (OpenSslRc4.available()) {
            return new OpenSslRc4(handshake.key(), handshake.position());
        }
        return new JavaRc4(handshake);
    }

    /** {@link Rc4} itself, for machines without libcrypto. */
    final class JavaRc4 implements BulkCipher {
        private final Rc4 rc4;

        JavaRc4(Rc4 rc4) {
            this.rc4 = rc4;
        }

        @Override
        public void crypt(ByteBuf buf, int index, int len) {
            rc4.crypt(buf, index, len);
        }

        @Override
        public void cryptInto(ByteBuf src, ByteBuf dst) {
            int n = src.readableBytes();
            int at = dst.writerIndex();
            dst.writeBytes(src, src.readerIndex(), n);
            rc4.crypt(dst, at, n);
        }
    }
}
