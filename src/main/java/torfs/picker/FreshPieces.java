package torfs.picker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import torfs.geometry.PieceGeometry;

/**
 * Which fresh (not started) pieces of one priority band a peer is asked for: the rarest it has
 * first, read from the head of the {@link PieceOrder}, or, for a peer whose few pieces sit far
 * down the order, through its bitfield. Pure, on the picker's thread.
 */
final class FreshPieces {
    private FreshPieces() {
    }

    /** Fresh pieces of {@code band} the peer has, best first, enough for {@code need} blocks. */
    static List<Integer> choose(PieceOrder order, PeerHaves p, int band, int need, PieceGeometry geometry) {
        List<Integer> chosen = new ArrayList<>();
        int bandStart = order.start(band * PieceOrder.LEVELS);
        int bandEnd = order.end(band * PieceOrder.LEVELS + PieceOrder.LEVELS - 1);
        if (bandStart == bandEnd) {
            return chosen;
        }
        int blocks = 0;
        // a non-seed cannot have an availability-0 piece: skip that bucket
        int i = p.isSeed() ? bandStart : order.start(band * PieceOrder.LEVELS + 1);
        // scan the order for as long as matching through the peer's bitfield would cost, then
        // switch to that: never more than twice the cheaper of the two (a ski-rental bound)
        long budget = 256 + geometry.pieceCount() / 32 + 4L * p.haveCount;
        int limit = (int) Math.min(bandEnd, i + budget);
        for (; i < limit && blocks < need; i++) {
            int piece = order.at(i);
            if (p.has(piece)) {
                chosen.add(piece);
                blocks += geometry.blocksInPiece(piece);
            }
        }
        if (blocks < need && i < bandEnd && !p.isSeed()) {
            sparse(order, p, i, bandEnd, need - blocks, chosen, geometry);
        }
        return chosen;
    }

    /**
     * The peer's pieces at order positions [from, to), best first, through its bitfield: for a
     * peer whose few pieces sit far down the order. O(pieces / 64 + its pieces).
     */
    private static void sparse(PieceOrder order, PeerHaves p, int from, int to, int need, List<Integer> chosen,
                               PieceGeometry geometry) {
        int[] positions = new int[16];
        int n = 0;
        for (int piece = p.has.nextSet(0); piece >= 0; piece = p.has.nextSet(piece + 1)) {
            int at = order.positionOf(piece);
            if (at >= from && at < to) {
                if (n == positions.length) {
                    positions = Arrays.copyOf(positions, n * 2);
                }
                positions[n++] = at;
            }
        }
        Arrays.sort(positions, 0, n);
        int blocks = 0;
        for (int k = 0; k < n && blocks < need; k++) {
            int piece = order.at(positions[k]);
            chosen.add(piece);
            blocks += geometry.blocksInPiece(piece);
        }
    }
}
