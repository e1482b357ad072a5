package torfs.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TorrentBuilderTest {
    private static final Path MKTORRENT = Path.of("/usr/bin/mktorrent");

    @TempDir
    Path tmp;

    /** Names chosen so path-order and element-order sorting differ, plus hidden, empty, unicode. */
    private Path payload() throws IOException {
        Path root = tmp.resolve("payload");
        Random r = new Random(42);
        String[] files = {"a-b/x", "a.txt", "a/x", "a/y/z.bin", ".hidden", "B/upper",
                "\u00fcber/\u65e5\u672c.bin", "empty", "zz/big.bin"};
        int[] sizes = {1000, 70_000, 16_384, 300_001, 5, 123_457, 2_000_000, 0, 1_500_000};
        for (int i = 0; i < files.length; i++) {
            Path p = root.resolve(files[i]);
            Files.createDirectories(p.getParent());
            byte[] b = new byte[sizes[i]];
            r.nextBytes(b);
            Files.write(p, b);
        }
        Files.createSymbolicLink(root.resolve("link.txt"), root.resolve("a.txt"));
        return root;
    }

    private InfoHash mktorrent(Path source, int log2, boolean isPrivate) throws Exception {
        assumeTrue(Files.isExecutable(MKTORRENT), "mktorrent is not installed");
        Path out = tmp.resolve("mk-" + log2 + "-" + isPrivate + ".torrent");
        List<String> cmd = new java.util.ArrayList<>(List.of(MKTORRENT.toString(), "-d", "-l",
                Integer.toString(log2), "-o", out.toString(), "-a", "http://127.0.0.1:1/announce"));
        if (isPrivate) {
            cmd.add("-p");
        }
        cmd.add(source.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("mk.log").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(tmp.resolve("mk.log"))).isZero();
        return MetainfoParser.parse(out).infoHash();
    }

    @ParameterizedTest(name = "2^{0}")
    @ValueSource(ints = {15, 18, 20}) // mktorrent 1.1 accepts 2^15..2^28 only
    @Timeout(120)
    void infoHashEqualsMktorrents(int log2) throws Exception {
        Path src = payload();
        byte[] ours = TorrentBuilder.of(src).pieceLength(1 << log2).tracker("http://127.0.0.1:1/announce")
                .comment("differs outside info").creationDate(1).build();
        Torrent t = MetainfoParser.parse(ours);
        assertThat(t.infoHash()).isEqualTo(mktorrent(src, log2, false));
        assertThat(t.files()).extracting(FileEntry::pathString).containsExactly(".hidden", "B/upper",
                "a-b/x", "a.txt", "a/x", "a/y/z.bin", "empty", "link.txt", "zz/big.bin",
                "\u00fcber/\u65e5\u672c.bin");
        assertThat(t.trackers()).containsExactly(List.of("http://127.0.0.1:1/announce"));
        assertThat(t.comment()).isEqualTo("differs outside info");
    }

    @Test
    @Timeout(60)
    void privateAndSingleFileMatchMktorrent() throws Exception {
        Path src = payload();
        Torrent priv = MetainfoParser.parse(TorrentBuilder.of(src).pieceLength(1 << 17)
                .privateFlag(true).threads(1).build());
        assertThat(priv.isPrivate()).isTrue();
        assertThat(priv.infoHash()).isEqualTo(mktorrent(src, 17, true));

        Path single = src.resolve("zz/big.bin");
        Torrent one = MetainfoParser.parse(TorrentBuilder.of(single).pieceLength(1 << 16).build());
        assertThat(one.singleFile()).isTrue();
        assertThat(one.name()).isEqualTo("big.bin");
        assertThat(one.infoHash()).isEqualTo(mktorrent(single, 16, false));
    }

    @Test
    void pieceHashesAreTheSha1OfTheConcatenatedFiles() throws Exception {
        Path root = tmp.resolve("p");
        Files.createDirectories(root);
        byte[] a = new byte[40_000];
        byte[] b = new byte[9_000];
        new Random(1).nextBytes(a);
        new Random(2).nextBytes(b);
        Files.write(root.resolve("a"), a);
        Files.write(root.resolve("b"), b);
        Torrent t = MetainfoParser.parse(TorrentBuilder.of(root).pieceLength(16384).threads(2).build());
        byte[] all = new byte[49_000];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        assertThat(t.pieceCount()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(all, i * 16384, t.pieceSize(i));
            assertThat(t.pieceHash(i)).as("piece " + i).isEqualTo(sha1.digest());
        }
    }

    @Test
    void mappedSpansHashLikeReadOnes() throws Exception {
        // spans of 256 KiB and more are hashed from a mapping, shorter ones read: piece 0 maps a;
        // piece 1 reads a's tail and maps b's head; piece 2 reads b's tail and all of c
        Path root = tmp.resolve("m");
        Files.createDirectories(root);
        int[] sizes = {600_000, 700_000, 1_000};
        byte[] all = new byte[601_000 + 700_000];
        Random r = new Random(3);
        r.nextBytes(all);
        int at = 0;
        String[] names = {"a", "b", "c"};
        for (int i = 0; i < 3; i++) {
            Files.write(root.resolve(names[i]), java.util.Arrays.copyOfRange(all, at, at + sizes[i]));
            at += sizes[i];
        }
        Torrent t = MetainfoParser.parse(TorrentBuilder.of(root).pieceLength(512 << 10).threads(2).build());
        assertThat(t.pieceCount()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(all, i * (512 << 10), t.pieceSize(i));
            assertThat(t.pieceHash(i)).as("piece " + i).isEqualTo(sha1.digest());
        }
    }

    @Test
    void autoPieceLengthAimsAt1000To2000Pieces() {
        assertThat(TorrentBuilder.autoPieceLength(1)).isEqualTo(16 * 1024);
        assertThat(TorrentBuilder.autoPieceLength(2000L * 16384)).isEqualTo(16 * 1024);
        assertThat(TorrentBuilder.autoPieceLength(2000L * 16384 + 1)).isEqualTo(32 * 1024);
        assertThat(TorrentBuilder.autoPieceLength(700L << 20)).isEqualTo(512 * 1024);
        assertThat(TorrentBuilder.autoPieceLength(4L << 30)).isEqualTo(4 << 20);
        assertThat(TorrentBuilder.autoPieceLength(1L << 50)).isEqualTo(16 << 20);
    }

    @Test
    void rejectsBadInput() throws Exception {
        assertThatThrownBy(() -> TorrentBuilder.of(tmp).pieceLength(3 << 14))
                .hasMessageContaining("power of two");
        Path empty = tmp.resolve("e");
        Files.createDirectories(empty.resolve("sub"));
        assertThatThrownBy(() -> TorrentBuilder.of(empty).build()).isInstanceOf(MetainfoException.class)
                .hasMessage(empty + " has no files to share");
        Files.write(empty.resolve("sub/zero"), new byte[0]);
        assertThatThrownBy(() -> TorrentBuilder.of(empty).build()).isInstanceOf(MetainfoException.class)
                .hasMessage(empty + " has no data to share (every file is empty)");
        Path loop = tmp.resolve("loop");
        Files.createDirectories(loop);
        Files.write(loop.resolve("f"), "x".getBytes(StandardCharsets.US_ASCII));
        Files.createSymbolicLink(loop.resolve("back"), loop);
        assertThatThrownBy(() -> TorrentBuilder.of(loop).build()).isInstanceOf(MetainfoException.class)
                .hasMessageStartingWith("symlink loop at ");
    }

    @Test
    void aSymlinkToNothingIsAnErrorNotAFileLeftOut() throws Exception {
        Path dir = tmp.resolve("links");
        Files.createDirectories(dir);
        Files.write(dir.resolve("a"), "x".getBytes(StandardCharsets.US_ASCII));
        Files.createSymbolicLink(dir.resolve("b"), Path.of("a")); // followed: a second file
        assertThat(MetainfoParser.parse(TorrentBuilder.of(dir).build()).files()).hasSize(2);
        Files.createSymbolicLink(dir.resolve("c"), Path.of("gone"));
        assertThatThrownBy(() -> TorrentBuilder.of(dir).build()).isInstanceOf(MetainfoException.class)
                .hasMessage(dir.resolve("c") + ": broken symlink (to gone, which does not exist)");
    }
}
