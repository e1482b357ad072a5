package torfs.picker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import torfs.geometry.Bitfield;
import torfs.geometry.PieceGeometry;
import torfs.geometry.PieceRange;

class FileEndsTest {
    private static final int MIB = 1 << 20;

    private static PieceGeometry files(int pieceLength, long... lengths) {
        return new PieceGeometry(pieceLength, lengths);
    }

    private static List<PieceRange> ends(PieceGeometry g) {
        return FileEnds.of(g, new Bitfield(g.pieceCount()));
    }

    @Test
    void aLargeFileGivesItsFirstFourMebibytesAndItsLastPiece() {
        PieceGeometry g = files(MIB, 100L * MIB + 5);
        assertThat(ends(g)).containsExactly(new PieceRange(0, 4), new PieceRange(100, 101));
    }

    @Test
    void eachFileHasItsOwnEndsWhereFilesShareAPiece() {
        // 20.5 MiB then 16 MiB: the second file starts inside piece 20
        PieceGeometry g = files(MIB, 20L * MIB + MIB / 2, 16L * MIB);
        assertThat(ends(g)).containsExactly(new PieceRange(0, 4), new PieceRange(20, 25),
                new PieceRange(36, 37));
    }

    @Test
    void aHeadIsAtLeastOnePieceAndAtMostSixtyFour() {
        assertThat(ends(files(16 * MIB, 400L * MIB))).containsExactly(new PieceRange(0, 1), new PieceRange(24, 25));
        int small = 16 * 1024; // 4 MiB would be 256 pieces
        assertThat(ends(files(small, 100L * MIB)))
                .containsExactly(new PieceRange(0, 64), new PieceRange(6399, 6400));
    }

    @Test
    void tinyFilesAreLeftOut() {
        // 7 pieces: fewer than eight; 10 pieces: not more than twice its 5 end pieces
        assertThat(ends(files(MIB, 7L * MIB, 10L * MIB))).isEmpty();
        assertThat(ends(files(MIB, 11L * MIB))).containsExactly(new PieceRange(0, 4), new PieceRange(10, 11));
        assertThat(ends(files(MIB, 0, 1000))).isEmpty();
    }

    @Test
    void onlyTheEightLargestFilesCount() {
        long[] lengths = new long[12];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = (20L + i) * MIB; // file i: 20 + i MiB, the largest last
        }
        PieceGeometry g = files(MIB, lengths);
        List<PieceRange> r = ends(g);
        for (int f = 0; f < 4; f++) {
            int head = g.piecesOfFile(f).first();
            assertThat(r).as("file %d is among the smallest", f).noneMatch(x -> x.contains(head));
        }
        for (int f = 4; f < 12; f++) {
            PieceRange all = g.piecesOfFile(f);
            assertThat(r).as("file %d's head", f).anyMatch(x -> x.contains(all.first()));
            assertThat(r).as("file %d's last piece", f).anyMatch(x -> x.contains(all.last()));
        }
        assertThat(r.stream().mapToInt(PieceRange::count).sum()).isEqualTo(8 * 5);
    }

    @Test
    void verifiedPiecesAreLeftOutAndAFileWithItsEndsDoneGivesWayToTheNext() {
        long[] lengths = new long[9];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = (20L + i) * MIB;
        }
        PieceGeometry g = files(MIB, lengths);
        Bitfield verified = new Bitfield(g.pieceCount());
        PieceRange largest = g.piecesOfFile(8);
        for (int p = largest.first(); p < largest.first() + 4; p++) {
            verified.set(p);
        }
        verified.set(largest.last());
        PieceRange second = g.piecesOfFile(7);
        verified.set(second.first() + 1);
        List<PieceRange> r = FileEnds.of(g, verified);
        assertThat(r).noneMatch(x -> x.contains(largest.first()) || x.contains(largest.last()));
        assertThat(r).noneMatch(x -> x.contains(second.first() + 1));
        assertThat(r).anyMatch(x -> x.contains(second.first())).anyMatch(x -> x.contains(second.first() + 2));
        assertThat(r).as("the smallest file moves up").anyMatch(x -> x.contains(g.piecesOfFile(0).first()));
    }
}
