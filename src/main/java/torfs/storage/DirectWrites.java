package torfs.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writing around the OS page cache (O_DIRECT). A downloaded piece is hashed from memory before
 * it is written, so a copy in the page cache only costs: the kernel copies every byte into it
 * and writes it back later, which on two cores took a third of a download's CPU time. Direct
 * writes need the buffer address, the file offset and the length aligned to the file system's
 * block size; whatever is not (the head or tail of a span, a file that starts unaligned) goes
 * through the cache as usual.
 */
public final class DirectWrites {
    /** Address alignment of {@link #alignedBuffer} buffers: covers every block size we accept. */
    public static final int BUFFER_ALIGNMENT = 4096;

    private DirectWrites() {
    }

    /** A direct buffer of {@code capacity} bytes whose first byte is BUFFER_ALIGNMENT-aligned. */
    public static ByteBuffer alignedBuffer(int capacity) {
        // alignedSlice also rounds the end down to the alignment: allocate a whole unit more
        int units = (capacity + BUFFER_ALIGNMENT - 1) / BUFFER_ALIGNMENT + 1;
        return ByteBuffer.allocateDirect(units * BUFFER_ALIGNMENT).alignedSlice(BUFFER_ALIGNMENT).slice(0, capacity);
    }

    /**
     * The block size direct writes under {@code dir} must align to (the JDK requires the file
     * system's fragment size), or 0 when it is unknown or larger than BUFFER_ALIGNMENT. Looks
     * at the nearest existing ancestor, since the data directory may not exist yet.
     */
    static int alignment(Path dir) {
        Path p = dir.toAbsolutePath();
        while (p != null && !Files.isDirectory(p)) {
            p = p.getParent();
        }
        if (p == null) {
            return 0;
        }
        try {
            long size = Files.getFileStore(p).getBlockSize();
            boolean usable = size > 0 && size <= BUFFER_ALIGNMENT && Long.bitCount(size) == 1;
            return usable ? (int) size : 0;
        } catch (IOException | UnsupportedOperationException e) {
            return 0;
        }
    }
}
