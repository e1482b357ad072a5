package torfs.metainfo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SHA-1 of every piece of a list of files read as one stream. Each of {@code threads} workers
 * claims the next batch of whole pieces (about 4 MiB) and hashes it from a read-only mapping of
 * the file (or, for small files, a positional read into its own direct buffer): no reader
 * thread, no hand-off, every core both reads and hashes.
 *
 * <p>Why not heap buffers: FileChannel reads into a heap buffer through a hidden temporary
 * direct one (a second full copy); SHA-1 consumes a mapping or a direct buffer in small
 * L1-resident slices. Memory: one small buffer and at most 16 MiB mapped per worker.
 */
final class PieceHasher {
    /** Bytes a worker claims at once, rounded to whole pieces: big enough for sequential reads. */
    private static final int BATCH_BYTES = 4 << 20;
    private static final int MAX_CHUNK = 256 << 10;
    private static final int MIN_CHUNK = 64 << 10;
    private static final long BUFFER_MEMORY = 64L << 20;
    /** File spans at least this long are hashed from a mapping, shorter ones read. */
    private static final int MAP_MIN = 256 << 10;
    /** The most mapped at once by one worker. */
    private static final int MAP_MAX = 16 << 20;

    /** A file to hash and how many bytes of it the torrent declares. */
    record Source(Path path, long length) {
    }

    private final int pieceLength;
    private final int threads;
    private final TorrentBuilder.Progress progress;

    PieceHasher(int pieceLength, int threads, TorrentBuilder.Progress progress) {
        this.pieceLength = pieceLength;
        this.threads = threads;
        this.progress = progress;
    }

    /** The concatenated 20-byte piece hashes of {@code files}, whose lengths sum to {@code total}. */
    byte[] hash(List<Source> files, long total) throws IOException, InterruptedException {
        long pieceCount = (total + pieceLength - 1) / pieceLength;
        byte[] out = new byte[Math.toIntExact(pieceCount * InfoHash.LENGTH)];
        long piecesPerBatch = Math.max(1, BATCH_BYTES / pieceLength);
        long batches = (pieceCount + piecesPerBatch - 1) / piecesPerBatch;
        int workers = (int) Math.max(1, Math.min(threads, batches));
        int chunk = (int) Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, BUFFER_MEMORY / workers));
        Layout layout = new Layout(files);
        AtomicLong nextBatch = new AtomicLong();
        AtomicLong hashed = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();

        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "torfs-hash");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                futures.add(pool.submit(() -> {
                    try (Worker w = new Worker(layout, chunk)) {
                        for (long b = nextBatch.getAndIncrement(); b < batches && !stop.get();
                             b = nextBatch.getAndIncrement()) {
                            long first = b * piecesPerBatch;
                            long end = Math.min(pieceCount, first + piecesPerBatch);
                            long bytes = 0;
                            for (long p = first; p < end; p++) {
                                long start = p * pieceLength;
                                long length = Math.min(pieceLength, total - start);
                                w.hashRange(start, length, out, (int) (p * InfoHash.LENGTH));
                                bytes += length;
                            }
                            progress.hashed(hashed.addAndGet(bytes), total);
                        }
                    } catch (IOException | RuntimeException e) {
                        stop.set(true);
                        throw e;
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            return out;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException("hashing failed: " + cause, cause);
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }

    /** The files as one stream: where each starts in it. */
    private static final class Layout {
        final Source[] files;
        final long[] starts;

        Layout(List<Source> list) {
            files = list.toArray(new Source[0]);
            starts = new long[files.length];
            long at = 0;
            for (int i = 0; i < files.length; i++) {
                starts[i] = at;
                at += files[i].length();
            }
        }

        /** The last file starting at or before {@code offset}: it holds that byte. */
        int fileAt(long offset) {
            int lo = 0;
            int hi = files.length - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (starts[mid] <= offset) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            return lo;
        }
    }

    /**
     * One thread's digest, read buffer and currently open file (workers mostly read one file
     * on). A span of at least {@link #MAP_MIN} bytes is hashed straight from a read-only mapping
     * of the file, unmapped right after: SHA-1 then copies page-cache memory once, in small
     * slices, instead of the kernel copying it into our buffer first (about 10% less CPU).
     * Smaller spans (small files) are read into the direct buffer.
     */
    private static final class Worker implements AutoCloseable {
        private final Layout layout;
        private final ByteBuffer buffer;
        private final PieceDigest sha1 = PieceDigest.create();
        private FileChannel channel;
        private int channelFile = -1;

        Worker(Layout layout, int chunk) {
            this.layout = layout;
            this.buffer = ByteBuffer.allocateDirect(chunk);
        }

        /** Hashes the stream's bytes [start, start + length) into out[at .. at + 20). */
        void hashRange(long start, long length, byte[] out, int at) throws IOException {
            long pos = start;
            long end = start + length;
            while (pos < end) {
                int f = layout.fileAt(pos);
                long fileOffset = pos - layout.starts[f];
                long span = Math.min(end - pos, layout.files[f].length() - fileOffset);
                FileChannel ch = channel(f);
                int n;
                if (span >= MAP_MIN) {
                    n = (int) Math.min(span, MAP_MAX);
                    hashMapped(ch, f, fileOffset, n);
                } else {
                    n = (int) Math.min(span, buffer.capacity());
                    hashRead(ch, f, fileOffset, n);
                }
                pos += n;
            }
            System.arraycopy(sha1.digest(), 0, out, at, InfoHash.LENGTH);
        }

        private void hashRead(FileChannel ch, int f, long fileOffset, int n) throws IOException {
            buffer.clear().limit(n);
            while (buffer.hasRemaining()) {
                if (ch.read(buffer, fileOffset + buffer.position()) < 0) {
                    throw shrank(f);
                }
            }
            buffer.flip();
            sha1.update(buffer);
        }

        private void hashMapped(FileChannel ch, int f, long fileOffset, int n) throws IOException {
            if (ch.size() < fileOffset + n) {
                throw shrank(f); // mapping past the end would fault on access
            }
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, fileOffset, n);
            try {
                sha1.update(map);
            } catch (InternalError e) {
                // the JVM's report of SIGBUS: the file was truncated while mapped
                throw shrank(f);
            } finally {
                Unmapper.unmap(map);
            }
        }

        private IOException shrank(int f) {
            return new IOException(layout.files[f].path() + " shrank while it was being hashed");
        }

        private FileChannel channel(int file) throws IOException {
            if (file != channelFile) {
                close();
                channel = FileChannel.open(layout.files[file].path(), StandardOpenOption.READ);
                channelFile = file;
            }
            return channel;
        }

        @Override
        public void close() throws IOException {
            if (channel != null) {
                FileChannel c = channel;
                channel = null;
                channelFile = -1;
                c.close();
            }
        }
    }
}
