package torfs.geometry;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Bitfields arrive from peers; geometry turns every outside offset and length into file and
 * piece coordinates. Seeds in GeometryFuzzTestInputs/ are replayed by plain {@code mvn test}.
 */
class GeometryFuzzTest {
    /** The last bytes pick the declared piece count; the rest is the wire bitfield. */
    @FuzzTest(maxDuration = "60s")
    void bitfieldFromWire(FuzzedDataProvider data) {
        int size = data.consumeInt(-1, 4096);
        byte[] wire = data.consumeRemainingAsBytes();
        Bitfield b;
        try {
            b = Bitfield.fromWire(wire, size);
        } catch (IllegalArgumentException e) {
            return;
        }
        assertThat(wire.length).isEqualTo(Bitfield.byteLength(size));
        assertThat(b.size()).isEqualTo(size);
        assertThat(b.toWire()).isEqualTo(wire);
        assertThat(b.cardinality()).isBetween(0, size);
        assertThat(b.isComplete()).isEqualTo(b.cardinality() == size);
        int counted = 0;
        for (int i = b.nextSet(0); i >= 0; i = b.nextSet(i + 1)) {
            assertThat(i).isLessThan(size);
            assertThat((wire[i >>> 3] & (0x80 >>> (i & 7))) != 0).isTrue();
            counted++;
        }
        assertThat(counted).isEqualTo(b.cardinality());
        assertThat(Bitfield.fromWire(b.toWire(), size)).isEqualTo(b);
    }

    /** Random piece length and file lengths (up to 2^40 each), then a random range inside and past the end. */
    @FuzzTest(maxDuration = "60s")
    void pieceGeometry(FuzzedDataProvider data) {
        int pieceLength = data.consumeInt(1, 1 << 24);
        int files = data.consumeInt(0, 50);
        long[] lengths = new long[files];
        for (int i = 0; i < files; i++) {
            // a third of the files empty: zero-length files are where off-by-ones live
            lengths[i] = data.consumeInt(0, 2) == 0 ? 0 : data.consumeLong(0, 1L << 40);
        }
        PieceGeometry g;
        try {
            g = new PieceGeometry(pieceLength, lengths);
        } catch (IllegalArgumentException e) {
            // only for more than 2^31-1 pieces
            assertThat(e.getMessage()).contains("too many pieces");
            return;
        }
        long total = g.totalLength();
        long offset = data.consumeLong(0, total + 2);
        long length = data.consumeBoolean() ? data.consumeLong(0, Long.MAX_VALUE) : data.consumeLong(0, 3L * pieceLength);
        long end = length >= total - offset ? total : offset + length;
        if (offset >= total) {
            end = offset;
        }

        List<FileSpan> spans = g.spansOf(offset, length);
        long pos = offset;
        int lastFile = -1;
        for (FileSpan s : spans) {
            assertThat(s.globalOffset()).isEqualTo(pos); // in order, no gaps, no overlaps
            assertThat(s.length()).isPositive();
            assertThat(s.fileIndex()).isGreaterThan(lastFile);
            assertThat(s.fileOffset()).isBetween(0L, g.fileLength(s.fileIndex()) - s.length());
            assertThat(g.fileStart(s.fileIndex()) + s.fileOffset()).isEqualTo(s.globalOffset());
            lastFile = s.fileIndex();
            pos += s.length();
        }
        assertThat(pos).isEqualTo(end);

        PieceRange pieces = g.piecesOf(offset, length);
        if (end <= offset) {
            assertThat(pieces.isEmpty()).isTrue();
        } else {
            assertThat(pieces.first()).isEqualTo(g.pieceAt(offset));
            assertThat(pieces.last()).isEqualTo(g.pieceAt(end - 1));
            assertThat(g.pieceStart(pieces.first())).isLessThanOrEqualTo(offset);
            assertThat(g.pieceStart(pieces.last()) + g.pieceSize(pieces.last())).isGreaterThanOrEqualTo(end);
            // spansOf agrees: the first and last spans sit inside the first and last pieces
            assertThat(g.pieceAt(spans.get(0).globalOffset())).isEqualTo(pieces.first());
            FileSpan last = spans.get(spans.size() - 1);
            assertThat(g.pieceAt(last.globalOffset() + last.length() - 1)).isEqualTo(pieces.last());
        }

        if (offset < total) {
            int f = g.fileAt(offset);
            assertThat(g.fileLength(f)).isPositive();
            assertThat(offset).isBetween(g.fileStart(f), g.fileStart(f) + g.fileLength(f) - 1);
            int p = g.pieceAt(offset);
            assertThat(offset - g.pieceStart(p)).isBetween(0L, (long) g.pieceSize(p) - 1);
            // a piece's spans add up to its size
            long sum = g.spansOfPiece(p).stream().mapToLong(FileSpan::length).sum();
            assertThat(sum).isEqualTo(g.pieceSize(p));
        }
        if (g.pieceCount() > 0) {
            int lastPiece = g.pieceCount() - 1;
            assertThat(g.pieceStart(lastPiece) + g.pieceSize(lastPiece)).isEqualTo(total);
            assertThat(g.pieceSize(lastPiece)).isBetween(1, pieceLength);
        }
    }
}
