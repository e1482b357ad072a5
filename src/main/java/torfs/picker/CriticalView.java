package torfs.picker;

import torfs.geometry.BlockRef;
import torfs.geometry.PieceGeometry;

/**
 * A critical piece's blocks as the {@link DeadlineScheduler} sees them, read through from the
 * picker's {@link CriticalPieces} entry and its {@link DownloadingPiece} (null while the piece is
 * untouched: then every block is open). Valid until the picker next changes.
 */
final class CriticalView implements DeadlineScheduler.Piece {
    private final CriticalPieces.Entry entry;
    private final DownloadingPiece dp;
    private final PieceGeometry geometry;

    CriticalView(CriticalPieces.Entry entry, DownloadingPiece dp, PieceGeometry geometry) {
        this.entry = entry;
        this.dp = dp;
        this.geometry = geometry;
    }

    @Override
    public int piece() {
        return entry.piece();
    }

    @Override
    public long deadline() {
        return entry.deadline();
    }

    @Override
    public boolean blocked() {
        return entry.blocked();
    }

    @Override
    public int blockCount() {
        return dp != null ? dp.blockCount : geometry.blocksInPiece(entry.piece());
    }

    @Override
    public BlockRef block(int index) {
        return geometry.block(entry.piece(), index);
    }

    @Override
    public boolean isOpen(int index) {
        return dp == null || dp.state(index) == DownloadingPiece.OPEN;
    }

    @Override
    public boolean isReceived(int index) {
        return dp != null && dp.state(index) == DownloadingPiece.RECEIVED;
    }

    @Override
    public int[] holders(int index) {
        return dp == null ? new int[0] : dp.requesters(index);
    }

    @Override
    public int openCount() {
        return dp == null ? blockCount() : dp.open();
    }
}
