package torfs.picker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import torfs.geometry.Bitfield;
import torfs.geometry.PieceGeometry;
import torfs.geometry.PieceRange;

/**
 * The pieces a full download fetches before the rest: the first {@link #HEAD_BYTES} of each
 * large file (a player's start buffer) and its last piece (an MP4's index at the end, a
 * Matroska file's cues), as qBittorrent's "first and last pieces first" does. A player opens a
 * file right after a mount shows its tree; the peers met meanwhile then send what it reads
 * first instead of rarest-first pieces at random places.
 *
 * <p>Bounded so that it stays a head start, not an order: a file of fewer than
 * {@link #MIN_FILE_PIECES} pieces (or not more than twice its ends) is fetched whole soon
 * anyway and is left out; only the {@link #MAX_FILES} largest files count; a head is at most
 * {@link #MAX_HEAD_PIECES} pieces (tiny pieces). Pieces already verified are left out. Pure.
 */
public final class FileEnds {
    /** A player's start buffer: 2 s of a 16 Mbit/s video. */
    static final long HEAD_BYTES = 4L << 20;
    static final int MAX_HEAD_PIECES = 64;
    static final int MIN_FILE_PIECES = 8;
    static final int MAX_FILES = 8;

    private FileEnds() {
    }

    /** The missing pieces of the chosen files' ends, in piece order, as runs. */
    public static List<PieceRange> of(PieceGeometry g, Bitfield verified) {
        List<Integer> files = new ArrayList<>();
        for (int f = 0; f < g.fileCount(); f++) {
            PieceRange all = g.piecesOfFile(f);
            if (all.count() >= MIN_FILE_PIECES && all.count() > 2 * (head(g, f).count() + 1)
                    && hasMissing(ends(g, f), verified)) {
                files.add(f);
            }
        }
        files.sort(Comparator.comparingLong((Integer f) -> -g.fileLength(f)).thenComparing(f -> f));
        boolean[] chosen = new boolean[g.pieceCount()];
        for (int f : files.subList(0, Math.min(MAX_FILES, files.size()))) {
            for (PieceRange r : ends(g, f)) {
                for (int p = r.first(); p < r.end(); p++) {
                    chosen[p] = !verified.get(p);
                }
            }
        }
        List<PieceRange> runs = new ArrayList<>();
        for (int p = 0; p < chosen.length; p++) {
            if (chosen[p]) {
                int start = p;
                while (p + 1 < chosen.length && chosen[p + 1]) {
                    p++;
                }
                runs.add(new PieceRange(start, p + 1));
            }
        }
        return runs;
    }

    private static PieceRange head(PieceGeometry g, int file) {
        PieceRange r = g.piecesOf(g.fileStart(file), Math.min(HEAD_BYTES, g.fileLength(file)));
        return new PieceRange(r.first(), Math.min(r.end(), r.first() + MAX_HEAD_PIECES));
    }

    private static List<PieceRange> ends(PieceGeometry g, int file) {
        int last = g.piecesOfFile(file).last();
        return List.of(head(g, file), new PieceRange(last, last + 1));
    }

    private static boolean hasMissing(List<PieceRange> ranges, Bitfield verified) {
        for (PieceRange r : ranges) {
            for (int p = r.first(); p < r.end(); p++) {
                if (!verified.get(p)) {
                    return true;
                }
            }
        }
        return false;
    }
}
