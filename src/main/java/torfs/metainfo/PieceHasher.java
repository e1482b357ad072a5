package torfs.metainfo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * SHA-1 of every piece of a list of files read as one stream. The calling thread reads
 * sequentially into a few reusable buffers (each a batch of whole pieces, at least 1 MiB);
 * worker threads hash full buffers in parallel while the next one fills. Memory is bounded by
 * the buffer count, and a worker returns its buffer before the reader may reuse it, so reading
 * stalls (backpressure) rather than buffering when hashing is slower than the disk.
 */
final class PieceHasher {
    private static final int BATCH_BYTES = 1 << 20;
    private static final long BUFFER_MEMORY = 64L << 20;

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
        int piecesPerBuffer = Math.max(1, BATCH_BYTES / pieceLength);
        int bufferSize = piecesPerBuffer * pieceLength;
        int buffers = (int) Math.max(2, Math.min(threads + 2, BUFFER_MEMORY / bufferSize));
        BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(buffers);
        for (int i = 0; i < buffers; i++) {
            free.add(new byte[bufferSize]);
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong hashed = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "torfs-hash");
            t.setDaemon(true);
            return t;
        });
        try {
            byte[] buf = free.take();
            int fill = 0;
            long firstPiece = 0;
            for (Source f : files) {
                try (FileChannel ch = FileChannel.open(f.path(), StandardOpenOption.READ)) {
                    long left = f.length();
                    while (left > 0) {
                        int want = (int) Math.min(bufferSize - fill, left);
                        int n = ch.read(ByteBuffer.wrap(buf, fill, want));
                        if (n < 0) {
                            throw new IOException(f.path() + " shrank while it was being hashed");
                        }
                        fill += n;
                        left -= n;
                        if (fill == bufferSize) {
                            submit(pool, free, buf, fill, firstPiece, out, failure, hashed, total);
                            firstPiece += piecesPerBuffer;
                            buf = free.take();
                            fill = 0;
                        }
                    }
                }
                rethrow(failure);
            }
            if (fill > 0) {
                submit(pool, free, buf, fill, firstPiece, out, failure, hashed, total);
            } else {
                free.add(buf);
            }
            for (int i = 0; i < buffers; i++) {
                free.take(); // every buffer back: every hash is written
            }
            rethrow(failure);
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private void submit(ExecutorService pool, BlockingQueue<byte[]> free, byte[] buf, int length,
                        long firstPiece, byte[] out, AtomicReference<Throwable> failure,
                        AtomicLong hashed, long total) {
        pool.execute(() -> {
            try {
                MessageDigest sha1 = sha1();
                int piece = 0;
                for (int at = 0; at < length; at += pieceLength, piece++) {
                    sha1.update(buf, at, Math.min(pieceLength, length - at));
                    int dst = (int) ((firstPiece + piece) * InfoHash.LENGTH);
                    sha1.digest(out, dst, InfoHash.LENGTH);
                }
                progress.hashed(hashed.addAndGet(length), total);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                free.add(buf);
            }
        });
    }

    private static void rethrow(AtomicReference<Throwable> failure) throws IOException {
        Throwable t = failure.get();
        if (t != null) {
            throw new IOException("hashing failed: " + t, t);
        }
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 missing from the JDK", e);
        }
    }
}
