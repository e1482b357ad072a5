package torfs.geometry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import torfs.metainfo.FileTable;
import torfs.metainfo.Torrent;

/**
 * 64-bit arithmetic between the three coordinate systems of a torrent: global byte offset,
 * (file, offset in file) and (piece, block). Immutable; lookups are binary searches, so a
 * torrent of a million files costs O(log n) per call.
 */
public final class PieceGeometry {
    /** The request unit every client uses (BEP 3 recommends 2^14). */
    public static final int BLOCK_SIZE = 16 * 1024;

    /** By file table (identity): torrents that are alive keep their geometry. */
    private static final Map<FileTable, PieceGeometry> SHARED = new WeakHashMap<>();

    private final int pieceLength;
    private final long totalLength;
    private final int pieceCount;
    /** fileStarts[i] = global offset of file i; sorted, with zero-length files sharing offsets. */
    private final long[] fileStarts;
    private final long[] fileLengths;

    public PieceGeometry(int pieceLength, long[] fileLengths) {
        this(pieceLength, fileLengths, true);
    }

    private PieceGeometry(int pieceLength, long[] fileLengths, boolean copy) {
        if (pieceLength <= 0) {
            throw new IllegalArgumentException("piece length must be positive");
        }
        this.pieceLength = pieceLength;
        this.fileLengths = copy ? fileLengths.clone() : fileLengths;
        this.fileStarts = new long[fileLengths.length];
        long total = 0;
        for (int i = 0; i < fileLengths.length; i++) {
            if (fileLengths[i] < 0) {
                throw new IllegalArgumentException("negative file length");
            }
            fileStarts[i] = total;
            total = Math.addExact(total, fileLengths[i]);
        }
        this.totalLength = total;
        // no "+ pieceLength - 1": that overflows for totals near Long.MAX_VALUE
        long pieces = total / pieceLength + (total % pieceLength == 0 ? 0 : 1);
        if (pieces > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many pieces");
        }
        this.pieceCount = (int) pieces;
    }

    /**
     * The geometry of {@code t}, one instance per torrent: its two arrays cost 16 bytes a file,
     * and the session, the store, the verifier and the reader all ask for it.
     */
    public static PieceGeometry of(Torrent t) {
        FileTable files = t.fileTable();
        synchronized (SHARED) {
            PieceGeometry g = SHARED.get(files);
            if (g == null || g.pieceLength != t.pieceLength()) {
                g = new PieceGeometry(t.pieceLength(), files.lengths(), false);
                SHARED.put(files, g);
            }
            return g;
        }
    }

    public int pieceLength() {
        return pieceLength;
    }

    public long totalLength() {
        return totalLength;
    }

    public int pieceCount() {
        return pieceCount;
    }

    public int fileCount() {
        return fileStarts.length;
    }

    public long fileStart(int file) {
        return fileStarts[file];
    }

    public long fileLength(int file) {
        return fileLengths[file];
    }

    public long pieceStart(int piece) {
        checkPiece(piece);
        return (long) piece * pieceLength;
    }

    public int pieceSize(int piece) {
        checkPiece(piece);
        return (int) Math.min(pieceLength, totalLength - (long) piece * pieceLength);
    }

    public int blocksInPiece(int piece) {
        return (pieceSize(piece) + BLOCK_SIZE - 1) / BLOCK_SIZE;
    }

    public int blockSize(int piece, int block) {
        int size = pieceSize(piece);
        long begin = (long) block * BLOCK_SIZE; // an int product wraps for a bogus block index
        if (block < 0 || begin >= size) {
            throw new IndexOutOfBoundsException("block " + block + " of piece " + piece);
        }
        return (int) Math.min(BLOCK_SIZE, size - begin);
    }

    public BlockRef block(int piece, int block) {
        return new BlockRef(piece, block * BLOCK_SIZE, blockSize(piece, block));
    }

    /** The piece holding global byte {@code offset}. */
    public int pieceAt(long offset) {
        checkOffset(offset);
        return (int) (offset / pieceLength);
    }

    /** Pieces overlapping [offset, offset + length), clipped to the torrent. */
    public PieceRange piecesOf(long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length");
        }
        long end = endOf(offset, length);
        if (offset >= end) {
            return PieceRange.EMPTY;
        }
        return new PieceRange((int) (offset / pieceLength), (int) ((end - 1) / pieceLength) + 1);
    }

    /** Pieces holding any byte of file {@code file}; empty for a zero-length file. */
    public PieceRange piecesOfFile(int file) {
        return piecesOf(fileStarts[file], fileLengths[file]);
    }

    /** The file (skipping zero-length ones) that holds global byte {@code offset}. */
    public int fileAt(long offset) {
        checkOffset(offset);
        int i = Arrays.binarySearch(fileStarts, offset);
        if (i < 0) {
            i = -i - 2; // the last file starting before offset
        } else {
            // several files may start here (zero-length ones first); take the last with bytes
            while (i + 1 < fileStarts.length && fileStarts[i + 1] == offset) {
                i++;
            }
        }
        while (fileLengths[i] == 0) {
            i--; // unreachable for a valid offset, kept for safety with trailing empties
        }
        return i;
    }

    /** The file runs covering [offset, offset + length), in order, zero-length files skipped. */
    public List<FileSpan> spansOf(long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length");
        }
        List<FileSpan> spans = new ArrayList<>();
        long end = endOf(offset, length);
        if (offset >= end) {
            return spans;
        }
        int file = fileAt(offset);
        long pos = offset;
        while (pos < end) {
            if (fileLengths[file] > 0) {
                long fileEnd = fileStarts[file] + fileLengths[file];
                long run = Math.min(end, fileEnd) - pos;
                spans.add(new FileSpan(file, pos - fileStarts[file], pos, run));
                pos += run;
            }
            file++;
        }
        return spans;
    }

    /** The file runs of piece {@code piece}. */
    public List<FileSpan> spansOfPiece(int piece) {
        return spansOf(pieceStart(piece), pieceSize(piece));
    }

    /** min(totalLength, offset + length) without the sum wrapping negative for huge lengths. */
    private long endOf(long offset, long length) {
        return length >= totalLength - offset ? totalLength : offset + length;
    }

    private void checkPiece(int piece) {
        if (piece < 0 || piece >= pieceCount) {
            throw new IndexOutOfBoundsException("piece " + piece + " of " + pieceCount);
        }
    }

    private void checkOffset(long offset) {
        if (offset < 0 || offset >= totalLength) {
            throw new IndexOutOfBoundsException("offset " + offset + " outside [0, " + totalLength + ")");
        }
    }
}
