package torfs.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import torfs.geometry.PieceGeometry;
import torfs.metainfo.PieceDigest;
import torfs.metainfo.Torrent;

/**
 * SHA-1 of a piece as stored, compared with the torrent's. Streams the piece through a
 * per-thread direct buffer, so hashing costs no allocation and no piece-sized memory. Thread-safe.
 */
public final class PieceVerifier {
    /** Bytes read per store call while hashing. */
    static final int CHUNK = 256 * 1024;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final Torrent torrent;
    private final PieceGeometry geometry;
    private final PieceStore store;

    public PieceVerifier(Torrent torrent, PieceStore store) {
        this.torrent = torrent;
        this.geometry = PieceGeometry.of(torrent);
        this.store = store;
    }

    /** The SHA-1 of piece {@code piece} as the store holds it (missing bytes read as zeros). */
    public byte[] hashPiece(int piece) throws IOException {
        PieceDigest sha1 = SCRATCH.get().sha1;
        sha1.reset();
        return finishHash(piece, sha1, 0);
    }

    /**
     * Completes {@code sha1}, which has consumed the first {@code from} bytes of piece
     * {@code piece}, with the rest of the piece as stored, and returns the digest.
     */
    public byte[] finishHash(int piece, PieceDigest sha1, int from) throws IOException {
        ByteBuffer buffer = SCRATCH.get().buffer;
        long pos = geometry.pieceStart(piece) + from;
        long end = geometry.pieceStart(piece) + geometry.pieceSize(piece);
        while (pos < end) {
            int n = (int) Math.min(CHUNK, end - pos);
            buffer.clear().limit(n);
            store.readAt(pos, buffer);
            buffer.clear().limit(n);
            sha1.update(buffer);
            pos += n;
        }
        return sha1.digest();
    }

    /** True when {@code digest} is the torrent's hash of piece {@code piece}. */
    public boolean isHashOf(int piece, byte[] digest) {
        return MessageDigest.isEqual(digest, torrent.pieceHash(piece));
    }

    /** True when the stored piece has the torrent's hash. */
    public boolean verify(int piece) throws IOException {
        return isHashOf(piece, hashPiece(piece));
    }

    private static final class Scratch {
        /*
         * Direct: a FileChannel read into a heap buffer goes through a hidden temporary direct
         * buffer (a second full copy); SHA-1 consumes a direct one in small L1-resident slices.
         */
        final ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
        final PieceDigest sha1 = PieceDigest.create();
    }
}
