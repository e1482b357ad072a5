package torfs.geometry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PieceGeometryTest {
    private static final long GIB = 1L << 30;
    private static final int MIB4 = 4 << 20;

    /** A virtual 6 GiB + 1000 bytes single file: pieces past 2^31 and 2^32, a short last piece. */
    private final PieceGeometry big = new PieceGeometry(MIB4, new long[] {6 * GIB + 1000});

    @Test
    void sixGibFileHasALastPartialPiece() {
        assertThat(big.totalLength()).isEqualTo(6 * GIB + 1000);
        assertThat(big.pieceCount()).isEqualTo(1537); // 1536 full pieces + 1000 bytes
        assertThat(big.pieceSize(1535)).isEqualTo(MIB4);
        assertThat(big.pieceSize(1536)).isEqualTo(1000);
        assertThat(big.pieceStart(1536)).isEqualTo(6 * GIB);
        assertThat(big.blocksInPiece(1536)).isEqualTo(1);
        assertThat(big.blockSize(1536, 0)).isEqualTo(1000);
        assertThat(big.block(1536, 0)).isEqualTo(new BlockRef(1536, 0, 1000));
        assertThatThrownBy(() -> big.pieceSize(1537)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> big.blockSize(1536, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void offsetsPastTwoToThe31And32MapToTheRightPieces() {
        long p31 = 1L << 31;
        long p32 = 1L << 32;
        assertThat(big.pieceAt(p31 - 1)).isEqualTo(511);
        assertThat(big.pieceAt(p31)).isEqualTo(512);
        assertThat(big.pieceAt(p32 - 1)).isEqualTo(1023);
        assertThat(big.pieceAt(p32)).isEqualTo(1024);
        assertThat(big.pieceStart(1024)).isEqualTo(p32);
        assertThat(big.fileAt(p32 + 5)).isZero();
        assertThat(big.spansOf(p32 - 10, 20))
                .containsExactly(new FileSpan(0, p32 - 10, p32 - 10, 20));
        assertThat(big.piecesOf(p32 - 10, 20)).isEqualTo(new PieceRange(1023, 1025));
        assertThat(big.spansOfPiece(1536)).containsExactly(new FileSpan(0, 6 * GIB, 6 * GIB, 1000));
        assertThatThrownBy(() -> big.pieceAt(6 * GIB + 1000)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void blocksOfTheLastPieceAreFullExceptTheLast() {
        // last piece of 3 * 16 KiB + 5 bytes
        long total = 2L * MIB4 + 3 * PieceGeometry.BLOCK_SIZE + 5 + 4 * GIB;
        PieceGeometry g = new PieceGeometry(MIB4, new long[] {total});
        int last = g.pieceCount() - 1;
        assertThat(g.pieceSize(last)).isEqualTo(3 * PieceGeometry.BLOCK_SIZE + 5);
        assertThat(g.blocksInPiece(last)).isEqualTo(4);
        assertThat(g.blockSize(last, 2)).isEqualTo(PieceGeometry.BLOCK_SIZE);
        assertThat(g.blockSize(last, 3)).isEqualTo(5);
        assertThat(g.block(last, 3)).isEqualTo(new BlockRef(last, 3 * PieceGeometry.BLOCK_SIZE, 5));
        assertThat(g.block(last, 3).blockIndex()).isEqualTo(3);
        assertThat(g.blocksInPiece(0)).isEqualTo(MIB4 / PieceGeometry.BLOCK_SIZE);
    }

    @Test
    void hugeBlockIndexIsRejectedNotWrapped() {
        // 2^18 * 2^14 = 2^32 wraps to 0 in int arithmetic
        assertThatThrownBy(() -> big.blockSize(0, 1 << 18)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> big.blockSize(0, -1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void hugeLengthsClipToTheTorrentInsteadOfWrapping() {
        assertThat(big.piecesOf(10, Long.MAX_VALUE)).isEqualTo(new PieceRange(0, 1537));
        List<FileSpan> spans = big.spansOf(6 * GIB, Long.MAX_VALUE);
        assertThat(spans).containsExactly(new FileSpan(0, 6 * GIB, 6 * GIB, 1000));
        assertThat(big.spansOf(6 * GIB + 1000, 10)).isEmpty();
        assertThat(big.piecesOf(7 * GIB, 10)).isEqualTo(PieceRange.EMPTY);
        assertThatThrownBy(() -> big.spansOf(-1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> big.piecesOf(0, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pieceCountDoesNotOverflowNearLongMax() {
        // (total + pieceLength - 1) wrapped negative here and gave a negative piece count
        assertThatThrownBy(() -> new PieceGeometry(1 << 30, new long[] {Long.MAX_VALUE - 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too many pieces");
        long most = (long) Integer.MAX_VALUE * 1024;
        assertThat(new PieceGeometry(1024, new long[] {most}).pieceCount()).isEqualTo(Integer.MAX_VALUE);
        assertThatThrownBy(() -> new PieceGeometry(1024, new long[] {most + 1}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onePieceSpansManySmallFiles() {
        // 100 files of 1000 bytes in pieces of 16 KiB: piece 0 covers files 0..16 partly
        long[] lengths = new long[100];
        java.util.Arrays.fill(lengths, 1000);
        PieceGeometry g = new PieceGeometry(16384, lengths);
        assertThat(g.pieceCount()).isEqualTo(7); // 100000 / 16384 -> 6 full + 1696
        List<FileSpan> spans = g.spansOfPiece(0);
        assertThat(spans).hasSize(17);
        assertThat(spans.get(0)).isEqualTo(new FileSpan(0, 0, 0, 1000));
        assertThat(spans.get(16)).isEqualTo(new FileSpan(16, 0, 16000, 384));
        assertThat(g.spansOfPiece(1).get(0)).isEqualTo(new FileSpan(16, 384, 16384, 616));
        assertThat(g.spansOfPiece(6).stream().mapToLong(FileSpan::length).sum()).isEqualTo(1696);
        assertThat(g.piecesOfFile(16)).isEqualTo(new PieceRange(0, 2));
        assertThat(g.piecesOfFile(99)).isEqualTo(new PieceRange(6, 7));
        assertThat(g.pieceSize(6)).isEqualTo(1696);
    }

    @Test
    void zeroLengthFilesOwnNoBytesAndNoPieces() {
        // empty files at the start, between, doubled, and at the end
        PieceGeometry g = new PieceGeometry(8, new long[] {0, 5, 0, 0, 7, 0});
        assertThat(g.totalLength()).isEqualTo(12);
        assertThat(g.fileAt(0)).isEqualTo(1);
        assertThat(g.fileAt(4)).isEqualTo(1);
        assertThat(g.fileAt(5)).isEqualTo(4);
        assertThat(g.fileAt(11)).isEqualTo(4);
        assertThat(g.piecesOfFile(0)).isEqualTo(PieceRange.EMPTY);
        assertThat(g.piecesOfFile(2)).isEqualTo(PieceRange.EMPTY);
        assertThat(g.piecesOfFile(5)).isEqualTo(PieceRange.EMPTY);
        assertThat(g.fileStart(5)).isEqualTo(12);
        assertThat(g.spansOf(0, 12)).containsExactly(
                new FileSpan(1, 0, 0, 5), new FileSpan(4, 0, 5, 7));
        assertThat(g.spansOfPiece(0)).containsExactly(
                new FileSpan(1, 0, 0, 5), new FileSpan(4, 0, 5, 3));
    }

    @Test
    void onlyEmptyFilesMeansNoPieces() {
        PieceGeometry g = new PieceGeometry(16384, new long[] {0, 0});
        assertThat(g.pieceCount()).isZero();
        assertThat(g.spansOf(0, 10)).isEmpty();
        assertThat(g.piecesOfFile(1)).isEqualTo(PieceRange.EMPTY);
        assertThatThrownBy(() -> g.fileAt(0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void padFilesAreOrdinaryFilesInGeometry() {
        // file A 1000 bytes, pad to 4096, file B 5000 bytes: B starts on a piece boundary
        PieceGeometry g = new PieceGeometry(4096, new long[] {1000, 3096, 5000});
        assertThat(g.fileStart(2)).isEqualTo(4096);
        assertThat(g.fileAt(1000)).isEqualTo(1);
        assertThat(g.spansOfPiece(0)).containsExactly(
                new FileSpan(0, 0, 0, 1000), new FileSpan(1, 0, 1000, 3096));
        assertThat(g.piecesOfFile(2)).isEqualTo(new PieceRange(1, 3));
        assertThat(g.spansOfPiece(2)).containsExactly(new FileSpan(2, 4096, 8192, 904));
    }

    /** Spans of random ranges over random layouts tile the range exactly and agree with fileAt. */
    @Test
    void randomRangesAreTiledBySpans() {
        Random rnd = new Random(42);
        for (int round = 0; round < 200; round++) {
            int n = 1 + rnd.nextInt(12);
            long[] lengths = new long[n];
            for (int i = 0; i < n; i++) {
                lengths[i] = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(5000);
            }
            PieceGeometry g = new PieceGeometry(1 + rnd.nextInt(3000), lengths);
            if (g.totalLength() == 0) {
                continue;
            }
            long off = (long) (rnd.nextDouble() * g.totalLength());
            long len = rnd.nextInt(8000);
            List<FileSpan> spans = g.spansOf(off, len);
            long pos = off;
            List<Integer> files = new ArrayList<>();
            for (FileSpan s : spans) {
                assertThat(s.globalOffset()).isEqualTo(pos);
                assertThat(s.length()).isPositive();
                assertThat(g.fileAt(pos)).isEqualTo(s.fileIndex());
                assertThat(g.fileStart(s.fileIndex()) + s.fileOffset()).isEqualTo(pos);
                assertThat(s.fileOffset() + s.length()).isLessThanOrEqualTo(lengths[s.fileIndex()]);
                files.add(s.fileIndex());
                pos += s.length();
            }
            assertThat(pos).isEqualTo(Math.min(g.totalLength(), off + len));
            assertThat(files).isSorted().doesNotHaveDuplicates();
            int pieceSum = 0;
            for (int p = 0; p < g.pieceCount(); p++) {
                pieceSum += g.pieceSize(p);
            }
            assertThat((long) pieceSum).isEqualTo(g.totalLength());
        }
    }
}
