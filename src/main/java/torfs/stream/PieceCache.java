package torfs.stream;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import torfs.geometry.PieceGeometry;
import torfs.session.PieceSource;

/**
 * Whole verified pieces kept in memory, bounded by bytes. The first reader of a piece loads it on
 * its own thread; concurrent readers of the same piece wait for that one load, so thirty-two
 * 128 KiB kernel reads of a 4 MiB piece cost one store read. Failed loads are dropped by Caffeine
 * and retried by the next reader.
 */
final class PieceCache {
    private final PieceSource source;
    private final PieceGeometry geometry;
    private final AsyncCache<Integer, byte[]> cache;
    private final AtomicLong loads = new AtomicLong();

    PieceCache(PieceSource source, long maxBytes) {
        this.source = source;
        this.geometry = source.geometry();
        long bound = Math.max(maxBytes, 2L * geometry.pieceLength());
        this.cache = Caffeine.newBuilder()
                .maximumWeight(bound)
                .weigher((Integer piece, byte[] data) -> data.length)
                .executor(Runnable::run)
                .buildAsync();
    }

    /** The future bytes of a verified piece; the caller's thread loads it when nobody else is. */
    CompletableFuture<byte[]> get(int piece) {
        CompletableFuture<byte[]> hit = cache.getIfPresent(piece);
        if (hit != null) {
            return hit; // the common case: no future made, no write to the map
        }
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> existing = cache.asMap().putIfAbsent(piece, mine);
        if (existing != null) {
            return existing;
        }
        try {
            mine.complete(load(piece));
        } catch (IOException | RuntimeException e) {
            mine.completeExceptionally(e);
        }
        return mine;
    }

    /** How many store reads happened (for tests and stats). */
    long loads() {
        return loads.get();
    }

    void clear() {
        cache.synchronous().invalidateAll();
    }

    private byte[] load(int piece) throws IOException {
        loads.incrementAndGet();
        int size = geometry.pieceSize(piece);
        ByteBuffer buf = ByteBuffer.allocate(size);
        long start = geometry.pieceStart(piece);
        while (buf.hasRemaining()) {
            int n = source.readVerified(start + buf.position(), buf);
            if (n <= 0) {
                throw new IOException("store returned no bytes for piece " + piece);
            }
        }
        return buf.array();
    }
}
