package torfs.picker;

import static org.assertj.core.api.Assertions.assertThat;
import static torfs.picker.Picture.id;
import static torfs.picker.Picture.picture;

import java.util.List;
import org.junit.jupiter.api.Test;
import torfs.geometry.BlockRef;

/** The web seeds' pick: piece order from a cursor, wrapping, HIGH first, open blocks only. */
class PickInOrderTest {
    private static List<String> pick(Picture t, char peer, int max, int from) {
        return t.picker.pickInOrder(id(peer), max, from).stream()
                .map((BlockRef b) -> b.piece() + "." + b.blockIndex()).toList();
    }

    @Test
    void piecesInOrderFromTheCursorWrappingRound() {
        Picture t = picture("have:0100100 peerA:1111111 blocks:2");
        assertThat(pick(t, 'A', 5, 3)).containsExactly("3.0", "3.1", "5.0", "5.1", "6.0");
        assertThat(pick(t, 'A', 10, 3)).containsExactly("6.1", "0.0", "0.1", "2.0", "2.1");
        assertThat(pick(t, 'A', 10, 0)).isEmpty();
    }

    @Test
    void highBeforeNormalAndNeverNoneOrCriticalOrTaken() {
        Picture t = picture("peerA:111111 peerB:111111 prio:NNHN-1");
        assertThat(t.pieces('B', 1)).hasSize(1); // B takes the HIGH piece 2 first
        assertThat(pick(t, 'A', 10, 0)).containsExactly("0.0", "1.0", "3.0");
    }
}
