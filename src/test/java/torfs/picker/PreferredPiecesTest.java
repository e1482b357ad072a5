package torfs.picker;

import static org.assertj.core.api.Assertions.assertThat;
import static torfs.picker.Picture.id;
import static torfs.picker.Picture.picture;

import java.util.List;
import org.junit.jupiter.api.Test;
import torfs.geometry.BlockRef;
import torfs.geometry.PieceRange;

/** {@link PiecePicker#preferByDefault}: a full download's file ends, beneath readers' wishes. */
class PreferredPiecesTest {
    private static final List<PieceRange> ENDS = List.of(new PieceRange(0, 3), new PieceRange(9, 10));

    @Test
    void preferredPiecesGoFirstInPieceOrderThenRarestFirst() {
        for (int seed = 1; seed <= 20; seed++) {
            Picture t = picture("peerA:1111111111 peerB:0000011111 seed:" + seed);
            t.picker.preferByDefault(ENDS);
            assertThat(t.picker.priority(9)).isEqualTo(Priority.HIGH);
            assertThat(t.picker.priority(5)).isEqualTo(Priority.NORMAL);
            List<Integer> order = t.pieces('A', 10);
            assertThat(order.subList(0, 4)).containsExactly(0, 1, 2, 9);
            assertThat(order.subList(4, 6)).containsExactlyInAnyOrder(3, 4); // rarest next
        }
    }

    @Test
    void pickHighTakesOnlyHighPieces() {
        Picture t = picture("peerA:1111111111");
        t.picker.preferByDefault(ENDS);
        assertThat(t.picker.pickHigh(id('A'), 10)).extracting(BlockRef::piece).containsExactly(0, 1, 2, 9);
        assertThat(t.picker.pickHigh(id('A'), 10)).isEmpty();
        assertThat(t.pieces('A', 10)).hasSize(6);
    }

    @Test
    void aLazyMountOrAFileSelectionGetsNoneOfThem() {
        Picture t = picture("peerA:1111111111");
        t.picker.preferByDefault(ENDS);
        t.picker.setDefaultPriority(Priority.NONE);
        assertThat(t.picker.priority(0)).isEqualTo(Priority.NONE);
        assertThat(t.picker.wantedCount()).isZero();
        assertThat(t.picker.pickHigh(id('A'), 10)).isEmpty();
        assertThat(t.pieces('A', 10)).isEmpty();
        // a file selection: NONE by default, the selected pieces NORMAL, ends not raised
        t.picker.setPriority(new PieceRange(5, 10), Priority.NORMAL, 0);
        assertThat(t.picker.priority(9)).isEqualTo(Priority.NORMAL);
        assertThat(t.picker.pickHigh(id('A'), 10)).isEmpty();
    }

    @Test
    void aWishOverAnEndGivesItBackWhenItEnds() {
        Picture t = picture("peerA:1111111111");
        t.picker.preferByDefault(ENDS);
        t.picker.setPriority(new PieceRange(1, 6), Priority.READAHEAD, 100);
        assertThat(t.picker.priority(1)).isEqualTo(Priority.READAHEAD);
        assertThat(t.picker.isCritical(1)).isTrue();
        t.picker.clearPriority(new PieceRange(1, 6));
        assertThat(t.picker.priority(1)).isEqualTo(Priority.HIGH);
        assertThat(t.picker.priority(4)).isEqualTo(Priority.NORMAL);
        assertThat(t.picker.isCritical(1)).isFalse();
        assertThat(t.pieces('A', 4)).containsExactly(0, 1, 2, 9);
    }

    @Test
    void aVerifiedPieceIsNotPickedAndALostOneIsPreferredAgain() {
        Picture t = picture("have:1000000000 peerA:1111111111");
        t.picker.preferByDefault(ENDS);
        assertThat(t.picker.pickHigh(id('A'), 10)).extracting(BlockRef::piece).containsExactly(1, 2, 9);
        t.picker.pieceLost(0);
        assertThat(t.picker.pickHigh(id('A'), 10)).extracting(BlockRef::piece).containsExactly(0);
    }
}
