package torfs.picker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import torfs.geometry.BlockRef;
import torfs.geometry.PieceGeometry;

/**
 * End game: once every missing block of every wanted piece is requested (or received), the
 * background blocks still outstanding are requested from other peers too, so the last pieces
 * do not wait on the slowest peer; {@link PiecePicker#peersToCancel} then says whom to cancel.
 * Pure functions over the picker's started pieces, called on the picker's thread.
 */
final class EndGame {
    private EndGame() {
    }

    /**
     * True when no started piece has an open block of a wanted priority and every critical
     * piece is started (the caller has checked that no fresh wanted piece is left).
     */
    static boolean everyBlockAsked(Iterable<CriticalPieces.Entry> critical,
                                   Map<Integer, DownloadingPiece> downloading, IntFunction<Priority> priority) {
        for (CriticalPieces.Entry e : critical) {
            if (!downloading.containsKey(e.piece())) {
                return false;
            }
        }
        for (DownloadingPiece dp : downloading.values()) {
            if (dp.open() > 0 && priority.apply(dp.piece) != Priority.NONE) {
                return false;
            }
        }
        return true;
    }

    /**
     * Requests already-outstanding background blocks from this peer too, fewest requesters
     * first, never a block it already has outstanding. Critical blocks are left to the
     * {@link DeadlineScheduler}, which duplicates only where that ends a read sooner.
     */
    static void pickDuplicates(Map<Integer, DownloadingPiece> downloading, IntFunction<Priority> priority,
                               PieceGeometry geometry, int peer, PeerHaves p, int max, List<BlockRef> out) {
        List<long[]> candidates = new ArrayList<>(); // {-priority, requesters, piece, block}
        for (DownloadingPiece dp : downloading.values()) {
            Priority prio = priority.apply(dp.piece);
            if (PiecePicker.band(prio) < 0 || !p.has(dp.piece)) {
                continue;
            }
            for (int b = 0; b < dp.blockCount; b++) {
                if (dp.state(b) == DownloadingPiece.REQUESTED && !dp.hasRequester(b, peer)) {
                    candidates.add(new long[] {-prio.ordinal(), dp.requesterCount(b), dp.piece, b});
                }
            }
        }
        candidates.sort((x, y) -> {
            for (int k = 0; k < x.length; k++) {
                int c = Long.compare(x[k], y[k]);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        });
        for (long[] c : candidates) {
            if (out.size() >= max) {
                return;
            }
            int piece = (int) c[2];
            int block = (int) c[3];
            downloading.get(piece).request(block, peer);
            p.outstanding.add(PiecePicker.key(piece, block));
            out.add(geometry.block(piece, block));
        }
    }
}
