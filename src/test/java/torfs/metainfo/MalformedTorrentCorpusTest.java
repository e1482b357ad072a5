package torfs.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static torfs.metainfo.B.d;
import static torfs.metainfo.B.enc;
import static torfs.metainfo.B.file;
import static torfs.metainfo.B.hashes;
import static torfs.metainfo.B.l;
import static torfs.metainfo.B.multi;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Generated bad torrents, each with the exact one-line error it must produce. */
class MalformedTorrentCorpusTest {
    private static final long BIG = 1L << 62;

    static Object info(Object... extra) {
        List<Object> kv = new ArrayList<>(List.of("name", "t", "piece length", 16384,
                "pieces", hashes(1), "length", 100));
        for (int i = 0; i < extra.length; i += 2) {
            int at = kv.indexOf(extra[i]);
            if (at >= 0 && at % 2 == 0) {
                kv.remove(at + 1);
                kv.remove(at);
            }
            if (extra[i + 1] != null) {
                kv.add(extra[i]);
                kv.add(extra[i + 1]);
            }
        }
        return d(kv.toArray());
    }

    static byte[] torrent(Object... infoChanges) {
        return enc(d("info", info(infoChanges)));
    }

    static Stream<Arguments> rejects() {
        List<Object> deep = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            deep.add("d");
        }
        Object[] dupes = new Object[502];
        for (int i = 0; i < dupes.length; i++) {
            dupes[i] = file(1, "a");
        }
        return Stream.of(
                Arguments.of("bencode garbage", "xyz".getBytes(StandardCharsets.US_ASCII),
                        "not a valid torrent file: unexpected byte 0x78 at byte 0"),
                Arguments.of("truncated", "d4:info".getBytes(StandardCharsets.US_ASCII),
                        "not a valid torrent file: unexpected end of data at byte 7"),
                Arguments.of("top level list", enc(l(1)),
                        "not a valid torrent file: top level is not a dictionary"),
                Arguments.of("no info", enc(d("announce", "http://x")), "missing 'info' dictionary"),
                Arguments.of("info a list", enc(d("info", l())), "'info' is not a dictionary"),
                Arguments.of("v2 only", enc(d("info", d("meta version", 2, "name", "x",
                                "piece length", 16384, "file tree", d()))),
                        "v2-only torrents are not supported yet"),
                Arguments.of("no piece length", torrent("piece length", null), "missing 'piece length'"),
                Arguments.of("piece length string", torrent("piece length", "16384"),
                        "'piece length' is not an integer"),
                Arguments.of("negative piece length", torrent("piece length", -16384),
                        "'piece length' must be positive, got -16384"),
                Arguments.of("zero piece length", torrent("piece length", 0),
                        "'piece length' must be positive, got 0"),
                Arguments.of("piece length over 2^30", torrent("piece length", (1L << 30) + 1),
                        "'piece length' 1073741825 is over 2^30"),
                Arguments.of("no name", torrent("name", null), "missing 'name'"),
                Arguments.of("name an integer", torrent("name", 7), "'name' is not a string"),
                Arguments.of("no length or files", torrent("length", null), "missing 'length' or 'files'"),
                Arguments.of("negative length", torrent("length", -5), "'length' is negative: -5"),
                Arguments.of("length a string", torrent("length", "5"), "'length' is not an integer"),
                Arguments.of("files a dict", torrent("length", null, "files", d()), "'files' is not a list"),
                Arguments.of("files empty", torrent("length", null, "files", l()), "'files' is empty"),
                Arguments.of("file not a dict", multi(1, l()), "file 0 is not a dictionary"),
                Arguments.of("file without length", multi(1, file(1, "a"), d("path", l("b"))),
                        "file 1: missing 'length'"),
                Arguments.of("file negative length", multi(1, file(-1, "a")),
                        "file 0: 'length' is negative: -1"),
                Arguments.of("file length a list", multi(1, d("length", l(), "path", l("a"))),
                        "file 0: 'length' is not an integer"),
                Arguments.of("file without path", multi(1, d("length", 1)), "file 0: missing 'path'"),
                Arguments.of("path a string", multi(1, d("length", 1, "path", "a/b")),
                        "file 0: 'path' is not a list"),
                Arguments.of("path element integer", multi(1, file(1, "a", 3)),
                        "file 0: 'path' has an element that is not a string"),
                Arguments.of("path 101 deep", multi(1, file(1, deep.toArray())),
                        "file 0: 'path' is deeper than 100 elements"),
                Arguments.of("no pieces", torrent("pieces", null), "missing 'pieces'"),
                Arguments.of("pieces an integer", torrent("pieces", 1), "'pieces' is not a string"),
                Arguments.of("pieces 21 bytes", torrent("pieces", new byte[21]),
                        "'pieces' is 21 bytes, not a multiple of 20"),
                Arguments.of("pieces too few", torrent("length", 20000),
                        "'pieces' holds 1 hashes but 20000 bytes in pieces of 16384 need 2"),
                Arguments.of("pieces too many", torrent("pieces", hashes(2)),
                        "'pieces' holds 2 hashes but 100 bytes in pieces of 16384 need 1"),
                Arguments.of("over 2^21 pieces", torrent("length", (1L << 21) * 16384 + 1, "pieces", ""),
                        "torrent needs 2097153 pieces, over the limit of 2097152"),
                Arguments.of("total overflow", multi(1, file(BIG, "a"), file(BIG, "b")),
                        "total size overflows 64 bits at file 1"),
                Arguments.of("no data", torrent("length", 0, "pieces", ""),
                        "torrent has no data: total size is 0"),
                Arguments.of("501 duplicates", multi(502, dupes), "more than 500 files named 'a'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejects")
    void rejectsWithExactMessage(String what, byte[] data, String message) {
        assertThatThrownBy(() -> MetainfoParser.parse(data))
                .isInstanceOf(MetainfoException.class)
                .hasMessage(message);
    }

    @Test
    void limitsAreInclusive() throws Exception {
        List<Object> deep = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            deep.add("d");
        }
        assertThat(MetainfoParser.parse(multi(1, file(1, deep.toArray()))).files().get(0).path())
                .hasSize(100);
        Torrent t = MetainfoParser.parse(torrent("piece length", 1L << 30, "length", 1L << 31,
                "pieces", hashes(2)));
        assertThat(t.pieceLength()).isEqualTo(1 << 30);
        assertThat(t.totalLength()).isEqualTo(1L << 31);
        Object[] dupes = new Object[501];
        for (int i = 0; i < dupes.length; i++) {
            dupes[i] = file(1, "a");
        }
        assertThat(MetainfoParser.parse(multi(501, dupes)).files().get(500).path())
                .containsExactly("a.500");
    }

    @Test
    void oversizedFileIsRejectedBeforeReading(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.torrent");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(MetainfoParser.MAX_TORRENT_BYTES + 1); // sparse: costs no disk
        }
        assertThatThrownBy(() -> MetainfoParser.parse(big))
                .isInstanceOf(MetainfoException.class)
                .hasMessage(big + " is 52428801 bytes, over the 52428800-byte limit for a .torrent");
        Path ok = dir.resolve("ok.torrent");
        Files.write(ok, torrent());
        assertThat(MetainfoParser.parse(ok).name()).isEqualTo("t");
    }

    @Test
    void oversizedArrayIsRejected() {
        byte[] data = new byte[(int) MetainfoParser.MAX_TORRENT_BYTES + 1];
        assertThatThrownBy(() -> MetainfoParser.parse(data))
                .hasMessage("torrent is 52428801 bytes, over the 52428800-byte limit for a .torrent");
    }
}
