package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import torfs.geometry.Bitfield;
import torfs.geometry.PieceGeometry;
import torfs.geometry.PieceRange;
import torfs.picker.DeadlineScheduler;
import torfs.picker.PiecePicker;
import torfs.picker.Priority;

/** A full mount's head start, on a real picker: 12 pieces of 1 MiB, ends 0-3 and 11. */
class HeadStartTest {
    private static final int PIECE = 1 << 20;
    private static final long NOW = 1_000_000_000L;
    private final PieceGeometry geo = new PieceGeometry(PIECE, new long[] {12L * PIECE});
    private final PiecePicker picker = new PiecePicker(geo, new Bitfield(12), new Random(1));
    private final Wishes wishes = new Wishes();
    private final HeadStart head = new HeadStart();
    private final List<PieceRange> ends = List.of(new PieceRange(0, 4), new PieceRange(11, 12));

    HeadStartTest() {
        picker.preferByDefault(ends);
    }

    /** Priorities as digits (NONE 0 ... NOW 4). */
    private String priorities() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            b.append(picker.priority(i).ordinal());
        }
        return b.toString();
    }

    private List<String> critical() {
        List<String> out = new ArrayList<>();
        for (DeadlineScheduler.Piece p : picker.critical()) {
            out.add(p.piece() + "@" + (p.deadline() - NOW) / 1_000_000 + "ms");
        }
        return out;
    }

    @Test
    void theEndsAreNeededSoonInPieceOrderAtThePacedRate() {
        assertThat(priorities()).isEqualTo("222211111112"); // HIGH ends, NORMAL rest
        head.begin(ends, PIECE, NOW, wishes, picker);
        assertThat(head.isOn()).isTrue();
        assertThat(priorities()).isEqualTo("333311111113");
        // 1 MiB at 8 MB/s: 131 ms apart, the last piece after the head
        assertThat(critical()).containsExactly("0@1000ms", "1@1131ms", "2@1262ms", "3@1393ms", "11@1524ms");
        assertThat(picker.isUrgent(0, NOW + 1)).isTrue(); // the first piece at once, the rest as their time comes
        assertThat(picker.isUrgent(1, NOW + 1)).isFalse();
    }

    @Test
    void endingGivesThePiecesBackToTheBackgroundAndKeepsAReadersWish() {
        head.begin(ends, PIECE, NOW, wishes, picker);
        Object reader = new Object();
        wishes.set(reader, new Wishes.Wish(new PieceRange(2, 3), Priority.NOW, NOW + 5), picker);
        assertThat(head.end(wishes, picker)).isTrue();
        assertThat(head.isOn()).isFalse();
        assertThat(priorities()).isEqualTo("224211111112");
        assertThat(critical()).containsExactly("2@0ms");
        assertThat(head.end(wishes, picker)).isFalse(); // once
        wishes.remove(reader, picker);
        assertThat(picker.hasCritical()).isFalse();
    }

    @Test
    void aSecondBeginWhileOnChangesNothing() {
        head.begin(ends, PIECE, NOW, wishes, picker);
        head.begin(List.of(new PieceRange(5, 6)), PIECE, NOW, wishes, picker);
        assertThat(priorities()).isEqualTo("333311111113");
        assertThat(wishes.size()).isEqualTo(2);
    }

    @Test
    void verifiedPiecesAreNotWanted() {
        picker.pieceVerified(0);
        head.begin(List.of(new PieceRange(1, 4)), PIECE, NOW, wishes, picker);
        assertThat(critical()).containsExactly("1@1000ms", "2@1131ms", "3@1262ms");
    }
}
