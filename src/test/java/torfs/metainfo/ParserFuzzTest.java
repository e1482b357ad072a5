package torfs.metainfo;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import torfs.bencode.BDict;
import torfs.bencode.BValue;
import torfs.bencode.BencodeDecoder;
import torfs.bencode.BencodeEncoder;
import torfs.bencode.BencodeException;

/**
 * Fuzz targets for the two parsers of outside bytes. Plain {@code mvn test} replays the saved
 * inputs in src/test/resources/torfs/metainfo/ParserFuzzTestInputs/; JAZZER_FUZZ=1 fuzzes.
 */
class ParserFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void bencodeDecoder(byte[] data) {
        BValue v;
        try {
            v = BencodeDecoder.decode(data);
        } catch (BencodeException e) {
            return; // our own error: fine
        }
        // the strict decoder accepts only canonical integers and lengths, so a value that is
        // accepted re-encodes to its input when its dictionaries were sorted
        byte[] again = BencodeEncoder.encode(v);
        try {
            assertThat(BencodeDecoder.decode(again)).isEqualTo(v);
        } catch (BencodeException e) {
            throw new AssertionError("re-encoded value does not decode", e);
        }
        if (v instanceof BDict d) {
            assertThat(d.sourceStart()).isZero();
            assertThat(d.sourceEnd()).isEqualTo(data.length);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void metainfoParser(byte[] data) {
        Torrent t;
        try {
            t = MetainfoParser.parse(data);
        } catch (MetainfoException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            return;
        }
        assertThat(t.pieceCount()).isPositive();
        assertSafe(List.of(t.name()));
        long offset = 0;
        for (FileEntry f : t.files()) {
            assertSafe(f.path());
            f.symlinkTarget().ifPresent(ParserFuzzTest::assertSafe);
            assertThat(f.offset()).isEqualTo(offset);
            offset += f.length();
        }
        assertThat(offset).isEqualTo(t.totalLength());
        assertThat(t.visibleFiles().stream().map(FileEntry::pathString).distinct().count())
                .isEqualTo(t.visibleFiles().size());
    }

    private static void assertSafe(List<String> path) {
        assertThat(path).isNotEmpty();
        for (String e : path) {
            assertThat(e).isNotEmpty().isNotEqualTo(".").isNotEqualTo("..")
                    .doesNotContain("/").doesNotContain("\0");
        }
    }
}
