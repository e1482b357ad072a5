package torfs.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Byte storage of one torrent addressed by global offset (the offset in the concatenation of
 * all its files, pad files included). Thread-safe: reads and writes at any offsets may run
 * concurrently; writes to overlapping ranges race as they would on a file.
 *
 * <p>Bytes a file does not hold read as zeros: a file that does not exist yet, the part past
 * the end of a short file, a sparse hole, a pad file. The store never creates a file to read
 * it. Callers serve only verified pieces, so such zeros are only ever seen by the verifier,
 * whose hash rejects them.
 */
public interface PieceStore extends Closeable {
    /** The default bound on open file handles. */
    int DEFAULT_MAX_OPEN_FILES = 64;

    /**
     * Fills all of {@code dst}'s remaining bytes from {@code [globalOffset, globalOffset +
     * dst.remaining())}, which must lie inside the torrent.
     */
    void readAt(long globalOffset, ByteBuffer dst) throws IOException;

    /**
     * Writes all of {@code src}'s remaining bytes at {@code globalOffset}, which with the
     * length must lie inside the torrent. Files and their parent directories are created
     * (sparse) on first write; bytes falling in pad files are dropped.
     */
    void writeAt(long globalOffset, ByteBuffer src) throws IOException;

    /**
     * As {@link #writeAt}, for a buffer from {@link DirectWrites#alignedBuffer} whose position
     * is 0: a store opened to bypass the page cache writes the block-aligned part of each file
     * span around it. A store that cannot (file system, alignment) writes through the cache.
     */
    default void writeAligned(long globalOffset, ByteBuffer src) throws IOException {
        writeAt(globalOffset, src);
    }

    /**
     * Bytes that can still be written where the store keeps its data (watched while a full
     * disk pauses downloading); unbounded for a store not on a file system.
     */
    default long freeBytes() throws IOException {
        return Long.MAX_VALUE;
    }

    /** Forces written data of every open file to the device. */
    void flush() throws IOException;

    /** Closes every open file; later reads and writes fail with an IOException. */
    @Override
    void close() throws IOException;

    /** A store over the files of {@code layout}, keeping at most 64 files open. */
    static PieceStore open(DataLayout layout) {
        return new FilePieceStore(layout, DEFAULT_MAX_OPEN_FILES, false);
    }

    /** A store over the files of {@code layout}, keeping at most {@code maxOpenFiles} open. */
    static PieceStore open(DataLayout layout, int maxOpenFiles) {
        return new FilePieceStore(layout, maxOpenFiles, false);
    }

    /**
     * A store over the files of {@code layout} whose {@link #writeAligned} writes around the
     * page cache where the file system allows it ({@link DirectWrites}).
     */
    static PieceStore openBypassingCache(DataLayout layout) {
        return new FilePieceStore(layout, DEFAULT_MAX_OPEN_FILES, true);
    }
}
