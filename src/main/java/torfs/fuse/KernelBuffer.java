package torfs.fuse;

import com.kenai.jffi.MemoryIO;
import java.nio.ByteBuffer;
import jnr.ffi.Pointer;

/**
 * A ByteBuffer over the native buffer libfuse hands a read, so the store's pread lands in it
 * directly: one copy from the page cache instead of three (into a temporary direct buffer, a
 * heap array, then the native buffer). jffi (under jnr-fuse) makes the buffer with JNI's
 * NewDirectByteBuffer; where that is unavailable the read goes through a heap array.
 */
final class KernelBuffer {
    private static final ThreadLocal<byte[]> FALLBACK = ThreadLocal.withInitial(() -> new byte[128 * 1024]);

    private KernelBuffer() {
    }

    /** A view of the first {@code size} bytes of {@code buf}, or null when none can be made. */
    static ByteBuffer view(Pointer buf, int size) {
        if (!buf.isDirect() || buf.address() == 0) {
            return null;
        }
        try {
            return MemoryIO.getInstance().newDirectByteBuffer(buf.address(), size);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** A per-thread heap array of at least {@code size} bytes, for when no view can be made. */
    static byte[] scratch(int size) {
        byte[] b = FALLBACK.get();
        if (b.length < size) {
            b = new byte[size];
            FALLBACK.set(b);
        }
        return b;
    }
}
