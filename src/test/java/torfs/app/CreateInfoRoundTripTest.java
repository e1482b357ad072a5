package torfs.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.metainfo.FileEntry;
import torfs.metainfo.MetainfoParser;
import torfs.metainfo.Torrent;

/** torfs create -> torfs info -> parse, through Main as a user runs it. */
class CreateInfoRoundTripTest {
    private static final long HUGE = (4L << 30) + (20L << 20) + 12_345; // past 4 GiB, sparse zeros

    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    @Timeout(600)
    void createThenInfoThenParseWithUnicodeAndAFileOver4GiB() throws Exception {
        Path root = tmp.resolve("payload");
        Path nested = root.resolve("d\u00e9j\u00e0/\u65e5\u672c\u8a9e/\u00fcml\u00e4ut \"q\".txt");
        Files.createDirectories(nested.getParent());
        byte[] text = new byte[100_000];
        new Random(3).nextBytes(text);
        Files.write(nested, text);
        byte[] small = new byte[777];
        new Random(4).nextBytes(small);
        Files.write(root.resolve("small.bin"), small);
        try (RandomAccessFile f = new RandomAccessFile(root.resolve("huge.img").toFile(), "rw")) {
            f.setLength(HUGE);
        }
        Path out = tmp.resolve("out.torrent");

        Run create = run("create", root.toString(), "-o", out.toString(), "--piece-size", "16M",
                "--tracker", "http://127.0.0.1:6969/announce", "--tracker", "udp://127.0.0.1:6969",
                "--webseed", "http://127.0.0.1/seed/", "--private", "--comment", "round\ttrip");
        assertThat(create.code()).as(create.err()).isZero();
        Torrent t = MetainfoParser.parse(out);
        assertThat(create.out()).contains(t.infoHash().hex());

        assertThat(t.files()).extracting(FileEntry::pathString).containsExactly(
                "d\u00e9j\u00e0/\u65e5\u672c\u8a9e/\u00fcml\u00e4ut \"q\".txt", "huge.img", "small.bin");
        assertThat(t.files()).extracting(FileEntry::length).containsExactly(100_000L, HUGE, 777L);
        assertThat(t.files().get(2).offset()).isEqualTo(100_000L + HUGE);
        assertThat(t.totalLength()).isEqualTo(HUGE + 100_777);
        assertThat(t.pieceLength()).isEqualTo(16 << 20);
        assertThat(t.isPrivate()).isTrue();
        assertThat(t.comment()).isEqualTo("round\ttrip");
        assertThat(t.trackers()).extracting(l -> l.get(0))
                .containsExactly("http://127.0.0.1:6969/announce", "udp://127.0.0.1:6969");
        assertThat(t.webSeeds()).containsExactly("http://127.0.0.1/seed/");

        // first piece: the unicode file's bytes then zeros; a middle piece past 4 GiB: zeros;
        // the last piece: zeros then small.bin
        byte[] first = new byte[t.pieceSize(0)];
        System.arraycopy(text, 0, first, 0, text.length);
        assertThat(t.pieceHash(0)).isEqualTo(sha1(first));
        int past4g = (int) ((4L << 30) / t.pieceLength());
        assertThat(past4g).isLessThan(t.pieceCount() - 1);
        assertThat(t.pieceHash(past4g)).isEqualTo(sha1(new byte[t.pieceLength()]));
        int lastIndex = t.pieceCount() - 1;
        byte[] last = new byte[t.pieceSize(lastIndex)];
        System.arraycopy(small, 0, last, last.length - small.length, small.length);
        assertThat(t.pieceHash(lastIndex)).isEqualTo(sha1(last));

        Run info = run("info", out.toString(), "--json");
        assertThat(info.code()).as(info.err()).isZero();
        String json = info.out().strip();
        assertThat(json).startsWith("{\"name\":\"payload\",\"infoHash\":\"" + t.infoHash().hex() + "\"")
                .contains("\"totalSize\":" + (HUGE + 100_777))
                .contains("\"path\":\"d\u00e9j\u00e0/\u65e5\u672c\u8a9e/\u00fcml\u00e4ut \\\"q\\\".txt\"")
                .contains("\"comment\":\"round\\ttrip\"")
                .contains("\"private\":true")
                .contains("\"trackers\":[[\"http://127.0.0.1:6969/announce\"],[\"udp://127.0.0.1:6969\"]]")
                .contains("{\"path\":\"huge.img\",\"length\":" + HUGE + ",\"offset\":100000,\"pad\":false");

        Run text1 = run("info", out.toString());
        assertThat(text1.code()).isZero();
        assertThat(text1.out()).contains("info-hash:     " + t.infoHash().hex())
                .contains("pieces:        " + t.pieceCount())
                .contains("  tier 2: udp://127.0.0.1:6969")
                .containsPattern(" +" + HUGE + "  huge\\.img");
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws Exception {
        Path bad = tmp.resolve("bad.torrent");
        Files.writeString(bad, "d4:infod4:name1:x12:piece lengthi-1eee");
        Run r = run("info", bad.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).isEqualTo("torfs: 'piece length' must be positive, got -1" + System.lineSeparator());

        Run missing = run("info", tmp.resolve("nope.torrent").toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(missing.err()).contains("nope.torrent: no such file or directory");

        Files.writeString(tmp.resolve("f"), "data");
        Run size = run("create", tmp.resolve("f").toString(), "-o", tmp.resolve("o.torrent").toString(),
                "--piece-size", "1000");
        assertThat(size.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(size.err()).isEqualTo("torfs: --piece-size must be a power of two from 16K to 32M, got 1000"
                + System.lineSeparator());

        Run noDir = run("create", tmp.resolve("f").toString(), "-o", tmp.resolve("nodir/o.torrent").toString());
        assertThat(noDir.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(noDir.err()).isEqualTo("torfs: " + tmp.resolve("nodir/o.torrent") + ": cannot write there ("
                + tmp.resolve("nodir") + " is not a directory)" + System.lineSeparator());
        Run proc = run("create", tmp.resolve("f").toString(), "-o", "/proc/o.torrent");
        assertThat(proc.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(proc.err()).startsWith("torfs: /proc/o.torrent: cannot write").doesNotContain(".part");

        Run ok = run("create", tmp.resolve("f").toString(), "-o", tmp.resolve("o.torrent").toString());
        assertThat(ok.code()).as(ok.err()).isZero();
        Run again = run("create", tmp.resolve("f").toString(), "-o", tmp.resolve("o.torrent").toString());
        assertThat(again.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(again.err()).contains("exists already");
    }

    @Test
    void pieceSizesReadLikeOtherSizes() {
        assertThat(CreateCommand.parsePieceSize("auto")).isZero();
        assertThat(CreateCommand.parsePieceSize(" AUTO ")).isZero();
        assertThat(CreateCommand.parsePieceSize("16k")).isEqualTo(16 << 10);
        assertThat(CreateCommand.parsePieceSize("256KiB")).isEqualTo(256 << 10);
        assertThat(CreateCommand.parsePieceSize("4m")).isEqualTo(4 << 20);
        assertThat(CreateCommand.parsePieceSize("32MiB")).isEqualTo(32 << 20);
        assertThat(CreateCommand.parsePieceSize("65536")).isEqualTo(65536);
        for (String bad : new String[] {"8k", "64M", "3M", "lots", ""}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> CreateCommand.parsePieceSize(bad))
                    .as(bad).isInstanceOf(UserError.class).hasMessageContaining("--piece-size");
        }
    }

    private static byte[] sha1(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-1").digest(b);
    }
}
