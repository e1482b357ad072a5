package torfs.metainfo;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;

/**
 * {@link PieceDigest} by libcrypto's SHA1_Init/Update/Final (deprecated in OpenSSL 3 for the EVP
 * interface, still exported, and free of its allocations). Direct buffers are hashed where
 * they lie; heap buffers are handed over as arrays. Unavailable when libcrypto does not load
 * or fails a known-answer check, and when {@code -Dtorfs.sha1=jdk} asks for the JDK's.
 */
final class OpenSslSha1 extends PieceDigest {
    /** What the three calls need of libcrypto. */
    public interface LibCrypto {
        int SHA1_Init(Pointer ctx);

        int SHA1_Update(Pointer ctx, @In ByteBuffer data, @size_t long length);

        int SHA1_Final(@Out byte[] md, Pointer ctx);
    }

    /** sizeof(SHA_CTX) is 96; room to spare. */
    private static final int CTX_BYTES = 128;
    private static final LibCrypto LIB = load();

    private final Pointer ctx = Memory.allocateDirect(Runtime.getRuntime(LIB), CTX_BYTES);

    OpenSslSha1() {
        LIB.SHA1_Init(ctx);
    }

    static boolean available() {
        return LIB != null;
    }

    @Override
    public void update(ByteBuffer data) {
        int n = data.remaining();
        if (n > 0) {
            LIB.SHA1_Update(ctx, data, n);
            data.position(data.limit());
        }
    }

    @Override
    public byte[] digest() {
        byte[] md = new byte[20];
        LIB.SHA1_Final(md, ctx);
        LIB.SHA1_Init(ctx);
        return md;
    }

    @Override
    public void reset() {
        LIB.SHA1_Init(ctx);
    }

    private static LibCrypto load() {
        if ("jdk".equals(System.getProperty("torfs.sha1"))) {
            return null;
        }
        return torfs.natives.LibCrypto.load(LibCrypto.class, OpenSslSha1::passesKnownAnswer);
    }

    /** FIPS 180 "abc", through a direct buffer at a nonzero position as pieces are hashed. */
    private static boolean passesKnownAnswer(LibCrypto lib) {
        Pointer ctx = Memory.allocateDirect(Runtime.getRuntime(lib), CTX_BYTES);
        ByteBuffer data = ByteBuffer.allocateDirect(8).put(new byte[] {'x', 'y', 'a', 'b', 'c'}).flip().position(2);
        byte[] md = new byte[20];
        if (lib.SHA1_Init(ctx) != 1 || lib.SHA1_Update(ctx, data, data.remaining()) != 1
                || lib.SHA1_Final(md, ctx) != 1) {
            return false;
        }
        return MessageDigest.isEqual(md, HexFormat.of().parseHex("a9993e364706816aba3e25717850c26c9cd0d89d"));
    }
}
