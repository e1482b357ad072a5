package torfs.webseed;

import static org.assertj.core.api.Assertions.assertThat;
import static torfs.webseed.WebSeedUrlTest.torrent;

import org.junit.jupiter.api.Test;
import torfs.geometry.PieceGeometry;
import torfs.metainfo.Torrent;

class FileRangesTest {
    @Test
    void pieceSpanningThreeFilesIsThreeRanges() {
        Torrent t = torrent("m", false, 16384, "a", 5000, "b", 6000, "c", 10000);
        PieceGeometry g = PieceGeometry.of(t);
        assertThat(FileRanges.of(g, t.fileTable(), 0, 16384)).containsExactly(
                new FileRanges.FileRange(0, 0, 5000, 0, false),
                new FileRanges.FileRange(1, 0, 6000, 5000, false),
                new FileRanges.FileRange(2, 0, 5384, 11000, false));
        assertThat(FileRanges.of(g, t.fileTable(), 16384, 21000 - 16384)).containsExactly(
                new FileRanges.FileRange(2, 5384, 21000 - 16384, 0, false));
    }

    @Test
    void padFilesAreMarkedAndZeroLengthFilesSkipped() {
        Torrent t = torrent("m", false, 16384, "a", 10000, "*.pad/6384", 6384, "empty", 0, "b", 16384);
        PieceGeometry g = PieceGeometry.of(t);
        assertThat(FileRanges.of(g, t.fileTable(), 0, 32768)).containsExactly(
                new FileRanges.FileRange(0, 0, 10000, 0, false),
                new FileRanges.FileRange(1, 0, 6384, 10000, true),
                new FileRanges.FileRange(3, 0, 16384, 16384, false));
    }
}
