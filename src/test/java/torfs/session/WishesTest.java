package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import torfs.geometry.Bitfield;
import torfs.geometry.PieceGeometry;
import torfs.geometry.PieceRange;
import torfs.picker.PiecePicker;
import torfs.picker.Priority;

class WishesTest {
    private final PieceGeometry geo = new PieceGeometry(16384, new long[] {10 * 16384});
    private final PiecePicker picker = new PiecePicker(geo, new Bitfield(10), new Random(1));
    private final Wishes wishes = new Wishes();

    private String priorities() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            b.append(picker.priority(i).ordinal());
        }
        return b.toString();
    }

    @Test
    void overlappingOwnersGetTheHighestWishAndForgettingRestoresTheDefault() {
        picker.setDefaultPriority(Priority.NONE);
        Object a = new Object();
        Object b = new Object();
        wishes.set(a, new Wishes.Wish(new PieceRange(1, 5), Priority.READAHEAD, 0), picker);
        wishes.set(b, new Wishes.Wish(new PieceRange(3, 7), Priority.HIGH, 0), picker);
        assertThat(priorities()).isEqualTo("0333322000");
        wishes.set(a, new Wishes.Wish(new PieceRange(4, 5), Priority.NOW, System.nanoTime()), picker);
        assertThat(priorities()).isEqualTo("0002422000");
        wishes.remove(b, picker);
        assertThat(priorities()).isEqualTo("0000400000");
        wishes.remove(a, picker);
        assertThat(priorities()).isEqualTo("0000000000");
        assertThat(wishes.size()).isZero();
    }

    @Test
    void aFileEndsHighAndAReadersWishNeverClearEachOther() {
        picker.preferByDefault(java.util.List.of(new PieceRange(0, 2), new PieceRange(9, 10)));
        assertThat(priorities()).isEqualTo("2211111112");
        Object reader = new Object();
        Object paused = new Object();
        wishes.set(reader, new Wishes.Wish(new PieceRange(1, 4), Priority.READAHEAD, 0), picker);
        wishes.set(paused, new Wishes.Wish(new PieceRange(8, 10), Priority.HIGH, 0), picker);
        assertThat(priorities()).isEqualTo("2333111122");
        wishes.remove(reader, picker);
        wishes.remove(paused, picker);
        assertThat(priorities()).as("the ends are HIGH again, the rest NORMAL").isEqualTo("2211111112");
        picker.setDefaultPriority(Priority.NONE); // a lazy mount: no ends
        assertThat(priorities()).isEqualTo("0000000000");
    }

    @Test
    void gradedDeadlinesInterleaveTwoReadersByNeed() {
        picker.setDefaultPriority(Priority.NONE);
        Object a = new Object();
        Object b = new Object();
        // reader a needs piece 0 at t=0, then one piece per 10 ns; reader b piece 5 at t=5, one per 10
        wishes.set(a, new Wishes.Wish(new PieceRange(0, 3), Priority.READAHEAD, 0, 10, 0), picker);
        wishes.set(b, new Wishes.Wish(new PieceRange(5, 8), Priority.READAHEAD, 5, 10, 0), picker);
        assertThat(criticalOrder()).containsExactly(0, 5, 1, 6, 2, 7);
        // overlapping: the earlier deadline of the two wins, piece by piece
        wishes.set(b, new Wishes.Wish(new PieceRange(1, 3), Priority.READAHEAD, -100, 10, 0), picker);
        assertThat(criticalOrder()).containsExactly(1, 2, 0);
    }

    @Test
    void aReadaheadWishNotRenewedDropsToHighAndBackWhenRenewed() {
        picker.setDefaultPriority(Priority.NONE);
        Object reader = new Object();
        wishes.set(reader, new Wishes.Wish(new PieceRange(2, 4), Priority.READAHEAD, 100, 10, 100), picker);
        wishes.demoteStale(100 + Wishes.STALE_NANOS, picker);
        assertThat(priorities()).isEqualTo("0033000000");
        wishes.demoteStale(101 + Wishes.STALE_NANOS, picker);
        assertThat(priorities()).isEqualTo("0022000000");
        assertThat(picker.hasCritical()).isFalse();
        wishes.set(reader, new Wishes.Wish(new PieceRange(2, 5), Priority.READAHEAD, 200, 10, 200), picker);
        assertThat(priorities()).isEqualTo("0033300000");
        assertThat(picker.hasCritical()).isTrue();
    }

    private java.util.List<Integer> criticalOrder() {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        picker.critical().forEach(p -> out.add(p.piece()));
        return out;
    }

    @Test
    void ownersAreTellApartByIdentityNotEquality() {
        String a = new String("same");
        String b = new String("same");
        wishes.set(a, new Wishes.Wish(new PieceRange(0, 2), Priority.HIGH, 0), picker);
        wishes.set(b, new Wishes.Wish(new PieceRange(1, 3), Priority.HIGH, 0), picker);
        assertThat(wishes.size()).isEqualTo(2);
    }
}
