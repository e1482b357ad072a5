package torfs.metainfo;

import java.nio.ByteBuffer;

/**
 * SHA-1 over piece data, the hash every piece of a v1 torrent is checked with. It is OpenSSL's
 * (libcrypto, called through jnr-ffi, which the FUSE binding brings anyway) when that loads,
 * else the JDK's. Both use the CPU's SHA instructions, but the JDK's only once its optimising
 * compiler (C2) has compiled it, and C2 cost a 3 GiB download about 3 CPU-s of compiling: with
 * OpenSSL the JVMs that hash run with the quick client compiler alone (see scripts/torfs).
 * Not thread-safe: one instance per thread or per piece.
 */
public abstract class PieceDigest {
    /** A fresh digest: OpenSSL's when it is available. */
    public static PieceDigest create() {
        return OpenSslSha1.available() ? new OpenSslSha1() : new JdkSha1();
    }

    /** Whether {@link #create} gives OpenSSL's SHA-1. */
    public static boolean isNative() {
        return OpenSslSha1.available();
    }

    /** Hashes {@code data}'s remaining bytes and advances its position to its limit. */
    public abstract void update(ByteBuffer data);

    /** The digest of everything hashed since the last reset; resets. */
    public abstract byte[] digest();

    /** Forgets everything hashed so far. */
    public abstract void reset();
}
