package torfs.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import torfs.geometry.PieceGeometry;
import torfs.geometry.PieceRange;
import torfs.picker.Priority;
import torfs.session.TorrentSession;

/**
 * A download of some files only (a magnet's BEP 53 {@code so=}): every other piece is left
 * alone, the selected files' pieces are wanted, and the download is done when those are
 * verified. Pieces a selected file shares with its neighbours are fetched whole, so the edges
 * of unselected files may land on disk too.
 */
final class FileSelection {
    private FileSelection() {
    }

    /** Restricts {@code session} to {@code files} (indexes into the torrent's file list). */
    static CompletableFuture<Void> apply(TorrentSession session, Set<Integer> files) {
        PieceGeometry g = session.geometry();
        for (int f : files) {
            if (f < 0 || f >= g.fileCount()) {
                throw new UserError("the magnet selects file " + f + " but the torrent has " + g.fileCount());
            }
        }
        session.setDefaultPriority(Priority.NONE);
        List<CompletableFuture<Void>> pieces = new ArrayList<>();
        long farAway = System.nanoTime() + 86_400_000_000_000L; // wanted, not time-critical
        for (int f : files) {
            PieceRange r = g.piecesOfFile(f);
            if (r.isEmpty()) {
                continue;
            }
            session.want(new Object(), r, Priority.NORMAL, farAway, 0);
            for (int p = r.first(); p < r.end(); p++) {
                pieces.add(session.whenVerified(p));
            }
        }
        return CompletableFuture.allOf(pieces.toArray(CompletableFuture[]::new));
    }
}
