package torfs.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import torfs.geometry.Bitfield;
import torfs.geometry.FileSpan;
import torfs.geometry.PieceGeometry;

/**
 * Room on the data directory's file system: the bytes the missing pieces still take, the bytes
 * free, and whether a failed write means there is no room left.
 */
public final class DiskSpace {
    private DiskSpace() {
    }

    /**
     * Bytes of the pieces not in {@code have} that land in files on disk (pad files are never
     * written). An upper bound: a piece partly written before keeps its blocks.
     */
    public static long stillNeeded(DataLayout layout, Bitfield have) {
        PieceGeometry g = layout.geometry();
        boolean pads = false;
        for (int f = 0; f < g.fileCount() && !pads; f++) {
            pads = layout.isPad(f);
        }
        long needed = 0;
        for (int p = have.nextClear(0); p >= 0 && p < g.pieceCount(); p = have.nextClear(p + 1)) {
            if (!pads) {
                needed += g.pieceSize(p);
                continue;
            }
            for (FileSpan s : g.spansOfPiece(p)) {
                if (!layout.isPad(s.fileIndex())) {
                    needed += s.length();
                }
            }
        }
        return needed;
    }

    /** Bytes this process may still write on the file system of {@code dir}. */
    public static long free(Path dir) throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    /** True when {@code e} (or a cause) says the file system or the user's quota is full. */
    public static boolean isFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }
}
