package torfs.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import torfs.geometry.FileSpan;
import torfs.geometry.PieceGeometry;

/**
 * {@link PieceStore} over the files of a {@link DataLayout}, with positional FileChannel I/O
 * and a bounded {@link ChannelCache}. Files are created sparse on first write.
 */
final class FilePieceStore implements PieceStore {
    /** Retries when another thread's interrupt closed a channel we share. */
    private static final int CLOSED_CHANNEL_RETRIES = 3;
    private static final System.Logger LOG = System.getLogger(FilePieceStore.class.getName());
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024).asReadOnlyBuffer();

    private final DataLayout layout;
    private final PieceGeometry geometry;
    private final ChannelCache channels;
    /**
     * Files written since the last flush: flush forces them even if their channel was evicted.
     * A file goes in after its write returned and out just before its force, so a write racing
     * a flush leaves its file in the set for the next one.
     */
    private final Set<Integer> dirty = ConcurrentHashMap.newKeySet();
    /**
     * From this many dirty files a flush syncs their file system once instead of forcing each
     * ({@link FileSystemSync}: 0.1 s instead of 2.1-2.6 s for 5,000 new small files).
     */
    static final int SYNC_FILE_SYSTEM_FROM = 16;
    /**
     * One flush at a time (a background flush and a resume save's): a flush returning while
     * another still forces a file it skipped would let the state claim bytes not yet durable.
     * Taken before {@link #closing}, never inside it.
     */
    private final Object flushing = new Object();
    /** Read side held while leasing a channel, write side by close: no channel opens after it. */
    private final ReadWriteLock closing = new ReentrantReadWriteLock();
    private volatile boolean closed;
    /** Block size of direct writes; 0: every write goes through the page cache. */
    private volatile int directAlignment;
    /** Bytes written around the page cache so far. */
    private final AtomicLong directBytes = new AtomicLong();

    /** @param bypassCache {@link #writeAligned} writes around the page cache where it can */
    FilePieceStore(DataLayout layout, int maxOpenFiles, boolean bypassCache) {
        this.layout = layout;
        this.geometry = layout.geometry();
        this.channels = new ChannelCache(maxOpenFiles);
        this.directAlignment = bypassCache ? DirectWrites.alignment(layout.dataDir()) : 0;
    }

    @Override
    public void readAt(long globalOffset, ByteBuffer dst) throws IOException {
        checkRange(globalOffset, dst.remaining());
        int limit = dst.limit();
        try {
            for (FileSpan span : geometry.spansOf(globalOffset, dst.remaining())) {
                dst.limit(dst.position() + (int) span.length());
                if (layout.isPad(span.fileIndex())) {
                    zeroFill(dst);
                } else {
                    readSpan(span, dst);
                }
            }
        } finally {
            dst.limit(limit);
        }
    }

    @Override
    public void writeAt(long globalOffset, ByteBuffer src) throws IOException {
        write(globalOffset, src, 0);
    }

    @Override
    public void writeAligned(long globalOffset, ByteBuffer src) throws IOException {
        write(globalOffset, src, directAlignment);
    }

    /**
     * Writes src span by span; with {@code align} > 0 (src's position aligned to it in memory)
     * each span's block-aligned body goes around the page cache, its head and tail through it.
     */
    private void write(long globalOffset, ByteBuffer src, int align) throws IOException {
        checkRange(globalOffset, src.remaining());
        int base = src.position();
        int limit = src.limit();
        try {
            for (FileSpan span : geometry.spansOf(globalOffset, src.remaining())) {
                int start = src.position();
                int end = start + (int) span.length();
                if (!layout.isPad(span.fileIndex())) {
                    // a byte is aligned in both buffer and file only when the span's buffer
                    // offset and file offset agree modulo align
                    int head = align == 0 ? 0 : (int) Math.floorMod(-span.fileOffset(), (long) align);
                    int body = align == 0 ? 0 : (int) ((span.length() - head) / align * align);
                    if (body > 0 && Math.floorMod(start - base - span.fileOffset(), (long) align) == 0) {
                        writePart(span, src, start, start + head, false);
                        writePart(span, src, start + head, start + head + body, true);
                        writePart(span, src, start + head + body, end, false);
                    } else {
                        writePart(span, src, start, end, false);
                    }
                }
                src.position(end);
            }
        } finally {
            src.limit(limit);
        }
    }

    /** Writes src's bytes [from, to), which lie in span (starting at the buffer's span start). */
    private void writePart(FileSpan span, ByteBuffer src, int from, int to, boolean direct) throws IOException {
        if (from == to) {
            return;
        }
        long skip = from - src.position();
        FileSpan part = new FileSpan(span.fileIndex(), span.fileOffset() + skip, span.globalOffset() + skip, to - from);
        ByteBuffer slice = src.duplicate().limit(to).position(from);
        if (direct) {
            try {
                writeSpan(part, slice, true);
                directBytes.addAndGet(to - from);
                return;
            } catch (ClosedChannelException e) {
                throw e;
            } catch (IOException e) {
                if (DiskSpace.isFull(e)) {
                    throw e; // no room: the page cache would not help
                }
                // this file system refuses (tmpfs, an odd alignment): the cache, from now on
                directAlignment = 0;
                LOG.log(System.Logger.Level.INFO, "torfs: writing through the page cache: " + e.getMessage());
                slice.limit(to).position(from);
            }
        }
        writeSpan(part, slice, false);
    }

    @Override
    public long freeBytes() throws IOException {
        return DiskSpace.free(layout.dataDir());
    }

    @Override
    public void flush() throws IOException {
        synchronized (flushing) {
            if (dirty.size() >= SYNC_FILE_SYSTEM_FROM && FileSystemSync.available()) {
                List<Integer> files = List.copyOf(dirty);
                dirty.removeAll(files); // just before the sync, as below: a racing write stays for the next
                try {
                    FileSystemSync.sync(files.stream().map(layout::pathOf).toList());
                } catch (IOException | RuntimeException e) {
                    dirty.addAll(files);
                    throw e;
                }
                return;
            }
            for (Integer file : dirty) {
                dirty.remove(file);
                try (ChannelCache.Lease lease = lease(new ChannelCache.Key(file, true), file)) {
                    lease.channel().force(false);
                } catch (IOException | RuntimeException e) {
                    dirty.add(file);
                    throw e;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (flushing) {
            closing.writeLock().lock();
            try {
                if (closed) {
                    return;
                }
                try {
                    flush();
                } finally {
                    closed = true;
                    channels.closeAll();
                }
            } finally {
                closing.writeLock().unlock();
            }
        }
    }

    /** Whether aligned writes still go around the page cache (no direct write failed yet). */
    boolean bypassesCache() {
        return directAlignment != 0;
    }

    /** Bytes written around the page cache so far; for tests and diagnostics. */
    long bytesWrittenAroundCache() {
        return directBytes.get();
    }

    /** Files written since the last flush; for tests. */
    int dirtyFiles() {
        return dirty.size();
    }

    /** Channels open right now; for tests. */
    int openChannels() {
        return channels.openChannels();
    }

    private void readSpan(FileSpan span, ByteBuffer dst) throws IOException {
        int start = dst.position();
        for (int attempt = 0; ; attempt++) {
            try (ChannelCache.Lease lease = lease(new ChannelCache.Key(span.fileIndex(), false),
                    span.fileIndex())) {
                if (lease == null) {
                    zeroFill(dst); // the file does not exist (yet)
                    return;
                }
                try {
                    FileChannel ch = lease.channel();
                    long pos = span.fileOffset() + (dst.position() - start);
                    while (dst.hasRemaining()) {
                        int n = ch.read(dst, pos);
                        if (n < 0) {
                            zeroFill(dst); // past the end of a short file
                            return;
                        }
                        pos += n;
                    }
                    return;
                } catch (ClosedChannelException e) {
                    retryOrThrow(e, lease, attempt);
                }
            }
        }
    }

    private void writeSpan(FileSpan span, ByteBuffer src, boolean direct) throws IOException {
        int start = src.position();
        for (int attempt = 0; ; attempt++) {
            try (ChannelCache.Lease lease = lease(new ChannelCache.Key(span.fileIndex(), true, direct),
                    span.fileIndex())) {
                try {
                    FileChannel ch = lease.channel();
                    long pos = span.fileOffset() + (src.position() - start);
                    try {
                        while (src.hasRemaining()) {
                            pos += ch.write(src, pos);
                        }
                    } finally {
                        dirty.add(span.fileIndex()); // after the bytes: see the field
                    }
                    return;
                } catch (ClosedChannelException e) {
                    retryOrThrow(e, lease, attempt);
                }
            }
        }
    }

    /**
     * A thread interrupted during FileChannel I/O closes the channel for every thread sharing
     * it. The interrupted thread gives up; the others drop the dead handle and try again.
     */
    private void retryOrThrow(ClosedChannelException e, ChannelCache.Lease lease, int attempt)
            throws ClosedChannelException {
        lease.discard();
        if (e instanceof ClosedByInterruptException || Thread.currentThread().isInterrupted()
                || closed || attempt >= CLOSED_CHANNEL_RETRIES) {
            throw e;
        }
    }

    private ChannelCache.Lease lease(ChannelCache.Key key, int file) throws IOException {
        closing.readLock().lock();
        try {
            if (closed) {
                throw new ClosedChannelException();
            }
            return channels.acquire(key, layout.pathOf(file));
        } finally {
            closing.readLock().unlock();
        }
    }

    private void checkRange(long offset, int length) {
        if (offset < 0 || offset > geometry.totalLength() - length) {
            throw new IndexOutOfBoundsException("range [" + offset + ", +" + length
                    + ") outside the torrent's " + geometry.totalLength() + " bytes");
        }
    }

    private static void zeroFill(ByteBuffer dst) {
        while (dst.hasRemaining()) {
            ByteBuffer z = ZEROS.duplicate();
            z.limit(Math.min(z.capacity(), dst.remaining()));
            dst.put(z);
        }
    }
}
