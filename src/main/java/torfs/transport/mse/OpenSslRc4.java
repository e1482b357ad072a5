package torfs.transport.mse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.types.intptr_t;
import jnr.ffi.types.size_t;

/**
 * RC4 by libcrypto's RC4_set_key/RC4 (deprecated in OpenSSL 3, still exported): assembly that
 * runs several times faster than {@link Rc4} in a JVM without its optimising compiler, which is
 * how the launcher runs TorFS when libcrypto is there. Buffers with a memory address (Netty's
 * direct buffers, what sockets read into) are crypted where they lie; others pass through a
 * small direct scratch buffer. Unavailable when libcrypto does not load or fails a known
 * answer, and when {@code -Dtorfs.rc4=java} asks for {@link Rc4}.
 */
final class OpenSslRc4 implements BulkCipher {
    /** What the two calls need of libcrypto; addresses are passed as integers. */
    public interface LibCrypto {
        void RC4_set_key(Pointer key, int len, @In byte[] data);

        void RC4(Pointer key, @size_t long len, @intptr_t long in, @intptr_t long out);
    }

    /** sizeof(RC4_KEY) is 1032 (two counters and 256 RC4_INTs of 4 bytes); room to spare. */
    private static final int KEY_BYTES = 2048;
    private static final int SCRATCH = 16 * 1024;
    private static final LibCrypto LIB = load();

    private final Pointer state;
    private ByteBuf scratch;

    /** The keystream of {@code key} from byte {@code position} on. */
    OpenSslRc4(byte[] key, long position) {
        state = Memory.allocateDirect(Runtime.getRuntime(LIB), KEY_BYTES);
        LIB.RC4_set_key(state, key.length, key);
        for (long left = position; left > 0; ) {
            int n = (int) Math.min(SCRATCH, left);
            ByteBuf s = scratch();
            LIB.RC4(state, n, s.memoryAddress(), s.memoryAddress());
            left -= n;
        }
    }

    static boolean available() {
        return LIB != null;
    }

    @Override
    public void crypt(ByteBuf buf, int index, int len) {
        if (len == 0) {
            return;
        }
        if (buf.hasMemoryAddress()) {
            long at = buf.memoryAddress() + index;
            LIB.RC4(state, len, at, at);
            return;
        }
        ByteBuf s = scratch();
        for (int done = 0; done < len; ) {
            int n = Math.min(SCRATCH, len - done);
            buf.getBytes(index + done, s, 0, n);
            LIB.RC4(state, n, s.memoryAddress(), s.memoryAddress());
            buf.setBytes(index + done, s, 0, n);
            done += n;
        }
    }

    @Override
    public void cryptInto(ByteBuf src, ByteBuf dst) {
        int n = src.readableBytes();
        dst.ensureWritable(n);
        int at = dst.writerIndex();
        if (n > 0 && src.hasMemoryAddress() && dst.hasMemoryAddress()) {
            // one pass from the shared block into the new buffer: no copy before crypting
            LIB.RC4(state, n, src.memoryAddress() + src.readerIndex(), dst.memoryAddress() + at);
            dst.writerIndex(at + n);
            return;
        }
        dst.writeBytes(src, src.readerIndex(), n);
        crypt(dst, at, n);
    }

    private ByteBuf scratch() {
        if (scratch == null) {
            // unpooled and never released: it lives as long as the connection's cipher
            scratch = Unpooled.directBuffer(SCRATCH, SCRATCH).writerIndex(SCRATCH);
        }
        return scratch;
    }

    private static LibCrypto load() {
        if ("java".equals(System.getProperty("torfs.rc4"))) {
            return null;
        }
        return torfs.natives.LibCrypto.load(LibCrypto.class, OpenSslRc4::passesKnownAnswer);
    }

    /** RC4("Key") over "Plaintext" is BBF316E8D940AF0AD3 (the classic test vector). */
    private static boolean passesKnownAnswer(LibCrypto lib) {
        Pointer key = Memory.allocateDirect(Runtime.getRuntime(lib), KEY_BYTES);
        lib.RC4_set_key(key, 3, new byte[] {'K', 'e', 'y'});
        ByteBuf b = Unpooled.directBuffer(16);
        try {
            if (!b.hasMemoryAddress()) {
                return false;
            }
            b.writeBytes("Plaintext".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            lib.RC4(key, 9, b.memoryAddress(), b.memoryAddress());
            byte[] out = new byte[9];
            b.getBytes(0, out);
            return HexFormat.of().formatHex(out).equals("bbf316e8d940af0ad3");
        } finally {
            b.release();
        }
    }
}
