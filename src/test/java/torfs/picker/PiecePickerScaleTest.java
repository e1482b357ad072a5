package torfs.picker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import torfs.geometry.Bitfield;
import torfs.geometry.BlockRef;
import torfs.geometry.PieceGeometry;
import torfs.geometry.PieceRange;

/** Whole downloads on large torrents; the timeouts are hang guards against per-pick O(pieces) work. */
class PiecePickerScaleTest {

    @Test
    @Timeout(60)
    void downloadsOneHundredThousandPiecesFromManyPeers() {
        int pieces = 100_000;
        PieceGeometry g = new PieceGeometry(4 * PieceGeometry.BLOCK_SIZE,
                new long[] {(long) pieces * 4 * PieceGeometry.BLOCK_SIZE - 1000});
        Random r = new Random(5);
        PiecePicker picker = new PiecePicker(g, new Bitfield(pieces), new Random(6));
        int peerCount = 30;
        for (int peer = 0; peer < peerCount; peer++) {
            Bitfield b = new Bitfield(pieces);
            double density = peer == 0 ? 0.0005 : 0.5; // peer 0 has ~50 pieces: the bitfield path
            for (int i = 0; i < pieces; i++) {
                if (r.nextDouble() < density) {
                    b.set(i);
                }
            }
            picker.peerBitfield(peer, b);
        }
        picker.peerHaveAll(peerCount); // one seed, so every piece is available
        picker.setPriority(new PieceRange(500, 540), Priority.HIGH, 0);
        int picks = 0;
        while (!picker.isComplete()) {
            int peer = picks++ % (peerCount + 1);
            List<BlockRef> blocks = picker.pick(peer, 16, picks);
            for (BlockRef b : blocks) {
                if (picker.blockReceived(peer, b)) {
                    picker.peersToCancel(b).forEach(q -> picker.requestDropped(q, b));
                    if (picker.isPieceFullyReceived(b.piece())) {
                        picker.pieceVerified(b.piece());
                    }
                }
            }
            assertThat(picks).isLessThan(10_000_000);
        }
        assertThat(picker.missingCount()).isZero();
        for (int peer = 0; peer <= peerCount; peer++) {
            assertThat(picker.outstanding(peer)).isZero();
            assertThat(picker.isInteresting(peer)).isFalse();
        }
    }

    @Test
    @Timeout(60)
    void twoMillionPiecesStayCheapPerPick() {
        int pieces = 1 << 21;
        PieceGeometry g = new PieceGeometry(PieceGeometry.BLOCK_SIZE, new long[] {(long) pieces * PieceGeometry.BLOCK_SIZE});
        PiecePicker picker = new PiecePicker(g, new Bitfield(pieces), new Random(1));
        picker.peerHaveAll(1);
        Bitfield few = new Bitfield(pieces);
        few.set(pieces - 1);
        few.set(pieces / 2);
        picker.peerBitfield(2, few);
        picker.setDefaultPriority(Priority.NONE);
        picker.setPriority(new PieceRange(0, pieces), Priority.NORMAL, 0);
        for (int i = 0; i < 20_000; i++) {
            List<BlockRef> got = picker.pick(1, 8, i);
            assertThat(got).hasSize(8);
            for (BlockRef b : got) {
                picker.blockReceived(1, b);
                picker.pieceVerified(b.piece());
            }
            picker.peerHave(3, i); // HAVEs move single pieces between buckets
        }
        assertThat(picker.pick(2, 8, 0)).extracting(BlockRef::piece)
                .containsExactlyInAnyOrder(pieces / 2, pieces - 1);
        assertThat(picker.missingCount()).isEqualTo(pieces - 160_000);
    }
}
