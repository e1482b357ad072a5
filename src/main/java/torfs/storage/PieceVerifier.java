package torfs.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import torfs.geometry.PieceGeometry;
import torfs.metainfo.InfoHash;
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
        Scratch s = SCRATCH.get();
        long pos = geometry.pieceStart(piece);
        long end = pos + geometry.pieceSize(piece);
        s.sha1.reset();
        while (pos < end) {
            int n = (int) Math.min(CHUNK, end - pos);
            s.buffer.clear().limit(n);
            store.readAt(pos, s.buffer);
            s.buffer.clear().limit(n);
            s.sha1.update(s.buffer);
            pos += n;
        }
        return s.sha1.digest();
    }

    /** True when the stored piece has the torrent's hash. */
    public boolean verify(int piece) throws IOException {
        return MessageDigest.isEqual(hashPiece(piece), torrent.pieceHash(piece));
    }

    /** True when {@code data} (its remaining bytes, left untouched) is piece {@code piece}. */
    public boolean matches(int piece, ByteBuffer data) {
        if (data.remaining() != geometry.pieceSize(piece)) {
            return false;
        }
        MessageDigest sha1 = SCRATCH.get().sha1;
        sha1.reset();
        sha1.update(data.duplicate());
        return MessageDigest.isEqual(sha1.digest(), torrent.pieceHash(piece));
    }

    private static final class Scratch {
        /*
         * Direct: a FileChannel read into a heap buffer goes through a hidden temporary direct
         * buffer (a second full copy); SHA-1 consumes a direct one in small L1-resident slices.
         */
        final ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
        final MessageDigest sha1 = InfoHash.newSha1();
    }
}
