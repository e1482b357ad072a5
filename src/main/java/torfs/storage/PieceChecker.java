package torfs.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import torfs.geometry.Bitfield;
import torfs.geometry.PieceGeometry;
import torfs.geometry.PieceRange;
import torfs.metainfo.PieceDigest;

/**
 * Checks every piece of a torrent against what is on disk, on several threads. A piece that
 * touches a missing or too-short file is missing at once, without reading: hashing the zeros
 * of a file that is not there would only waste time.
 */
public final class PieceChecker {
    /** Progress of a check; calls are serialised and {@code done} never decreases. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (done, total) -> { };

        void update(int done, int total);
    }

    /**
     * The outcome of a check.
     *
     * @param verified pieces whose hash matched
     * @param bad      pieces that were read and hashed wrong; the rest are missing (a file absent
     *                 or too short)
     * @param hashed   pieces actually read and hashed
     */
    public record Result(Bitfield verified, Bitfield bad, int hashed) {
        /** Pieces neither verified nor bad: a file they need is absent or too short. */
        public boolean isMissing(int piece) {
            return !verified.get(piece) && !bad.get(piece);
        }
    }

    private PieceChecker() {
    }

    /** Hashes every piece on {@code threads} threads (at least one). */
    public static Result check(DataLayout layout, PieceStore store, int threads, Progress progress)
            throws IOException, InterruptedException {
        return check(layout, store, threads, progress, null);
    }

    /** Hashes {@code only} those pieces (null: every piece); the rest are missing. */
    public static Result check(DataLayout layout, PieceStore store, int threads, Progress progress, Bitfield only)
            throws IOException, InterruptedException {
        PieceGeometry g = layout.geometry();
        int total = g.pieceCount();
        Bitfield readable = piecesToHash(layout, only);
        Bitfield verified = new Bitfield(total);
        Bitfield bad = new Bitfield(total);
        PieceVerifier verifier = new PieceVerifier(layout.torrent(), store);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger hashed = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        Object lock = new Object(); // guards both bitfields, the done count and progress calls
        int[] done = {total - readable.cardinality()};
        progress.update(done[0], total);

        Runnable worker = () -> {
            for (int p = next.getAndIncrement(); p < total && !failed.get();
                 p = next.getAndIncrement()) {
                if (!readable.get(p)) {
                    continue;
                }
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                boolean ok;
                try {
                    ok = verifier.verify(p);
                } catch (IOException e) {
                    failed.set(true);
                    throw new UncheckedIOException(e);
                }
                hashed.incrementAndGet();
                synchronized (lock) {
                    (ok ? verified : bad).set(p);
                    progress.update(++done[0], total);
                }
            }
        };
        int n = Math.max(1, threads);
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "torfs-hash");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(worker));
            }
            for (Future<?> f : futures) {
                f.get(); // cancellation path: our interrupt ends the wait and stops the workers
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(cause);
        } finally {
            pool.shutdownNow();
        }
        synchronized (lock) {
            return new Result(verified.copy(), bad.copy(), hashed.get());
        }
    }

    /** The pieces a check hashes: those {@link #readablePieces readable}, of {@code only} if not null. */
    public static Bitfield piecesToHash(DataLayout layout, Bitfield only) throws IOException {
        Bitfield readable = readablePieces(layout);
        for (int p = readable.nextSet(0); only != null && p >= 0; p = readable.nextSet(p + 1)) {
            if (!only.get(p)) {
                readable.clear(p);
            }
        }
        return readable;
    }

    /**
     * Pieces whose bytes in every non-pad file are on disk: inside a file's present length, and
     * not wholly in holes ({@link DataExtents}). A file shorter than its torrent length (copied
     * in part, a download of another client cut short) still gives the pieces before its end; a
     * missing one gives none, nor does a piece a sparse file never got a byte of.
     */
    static Bitfield readablePieces(DataLayout layout) throws IOException {
        PieceGeometry g = layout.geometry();
        Bitfield readable = Bitfield.full(g.pieceCount());
        // pieces with a byte of data in some file: one wholly in holes is missing, not hashed
        Bitfield someData = new Bitfield(g.pieceCount());
        // a fresh download has nothing there: one look, not a failed stat (and its exceptions) a file
        boolean nothing = !layout.topExists();
        for (int f = 0; f < g.fileCount(); f++) {
            long length = g.fileLength(f);
            if (layout.isPad(f) || length == 0) {
                continue;
            }
            long onDisk = nothing ? 0 : Math.max(0, sizeOnDisk(layout.pathOf(f)));
            if (onDisk < length) {
                PieceRange r = g.piecesOf(g.fileStart(f) + onDisk, length - onDisk);
                for (int p = r.first(); p < r.end(); p++) {
                    readable.clear(p);
                }
            }
            if (onDisk > 0) {
                long start = g.fileStart(f);
                DataExtents.forEachRun(layout.pathOf(f), Math.min(onDisk, length), (from, to) -> {
                    PieceRange r = g.piecesOf(start + from, to - from);
                    for (int p = r.first(); p < r.end(); p++) {
                        someData.set(p);
                    }
                    return 0;
                });
            }
        }
        java.util.Map<Integer, byte[]> zeroHashes = new java.util.HashMap<>(); // by piece size: two at most
        for (int p = readable.nextSet(0); p >= 0; p = readable.nextSet(p + 1)) {
            // wholly in holes it reads as zeros: right only if the piece is zeros (a sparse image's
            // empty stretch, which a seed must still serve), so only then is it worth hashing
            if (!someData.get(p) && !java.security.MessageDigest.isEqual(layout.torrent().pieceHash(p),
                    zeroHashes.computeIfAbsent(g.pieceSize(p), PieceChecker::sha1OfZeros))) {
                readable.clear(p);
            }
        }
        return readable;
    }

    private static byte[] sha1OfZeros(int length) {
        PieceDigest sha1 = PieceDigest.create();
        java.nio.ByteBuffer zeros = java.nio.ByteBuffer.allocateDirect(Math.min(length, 1 << 16));
        for (int left = length; left > 0; left -= zeros.limit()) {
            zeros.clear().limit(Math.min(left, zeros.capacity()));
            sha1.update(zeros);
        }
        return sha1.digest();
    }

    /** A regular file's size, or -1 when absent or not a regular file. */
    public static long sizeOnDisk(Path path) throws IOException {
        try {
            // follows symlinks, as the store does when it reads
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return a.isRegularFile() ? a.size() : -1;
        } catch (AccessDeniedException e) {
            throw e; // the user must hear about it rather than get "missing"
        } catch (FileSystemException e) {
            return -1; // absent, or a parent is not a directory
        }
    }
}
