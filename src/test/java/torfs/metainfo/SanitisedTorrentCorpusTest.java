package torfs.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static torfs.metainfo.B.d;
import static torfs.metainfo.B.enc;
import static torfs.metainfo.B.file;
import static torfs.metainfo.B.hashes;
import static torfs.metainfo.B.l;
import static torfs.metainfo.B.multi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import torfs.bencode.BencodeDecoder;
import torfs.bencode.BencodeEncoder;

/** Generated hostile or odd torrents, each with the exact sanitised result. */
class SanitisedTorrentCorpusTest {
    private static List<String> paths(Torrent t) {
        return t.files().stream().map(FileEntry::pathString).toList();
    }

    private static Torrent parse(byte[] data) throws MetainfoException {
        Torrent t = MetainfoParser.parse(data);
        for (FileEntry f : t.files()) {
            assertSafe(f.path());
            f.symlinkTarget().ifPresent(SanitisedTorrentCorpusTest::assertSafe);
        }
        assertSafe(List.of(t.name()));
        return t;
    }

    static void assertSafe(List<String> path) {
        assertThat(path).isNotEmpty().allSatisfy(e -> {
            assertThat(e).isNotEmpty().isNotEqualTo(".").isNotEqualTo("..")
                    .doesNotContain("/").doesNotContain("\\").doesNotContain("\0");
        });
    }

    @Test
    void dotAndEmptyElementsAreDropped() throws Exception {
        assertThat(paths(parse(multi(3, file(1, ".", "..", "a", "", "b"), file(1, "", "etc", "passwd"),
                file(1, "..", "..", "x"))))).containsExactly("a/b", "etc/passwd", "x");
    }

    @Test
    void separatorsAndControlCharactersBecomeUnderscores() throws Exception {
        assertThat(parse(multi(1, file(1, "a/b", "c\\d", "x\0y", "tab\there\u007f"))).files().get(0).path())
                .containsExactly("a_b", "c_d", "x_y", "tab_here_");
        assertThat(parse(multi(1, file(1, "/etc/passwd"))).files().get(0).path())
                .containsExactly("_etc_passwd");
    }

    @Test
    void invalidUtf8IsReplacedAndDirectionMarksDropped() throws Exception {
        byte[] bad = {'f', (byte) 0xff, 'o', (byte) 0xc3};
        assertThat(parse(multi(2, file(1, bad), file(1, "evil\u202etxt.exe"))).files())
                .extracting(FileEntry::pathString).containsExactly("f_o_", "eviltxt.exe");
    }

    @Test
    void allDroppedPathBecomesUnderscore() throws Exception {
        assertThat(paths(parse(multi(2, file(1, "..", "."), file(1))))).containsExactly("_", "_.1");
    }

    @Test
    void unusableNameBecomesInfoHash() throws Exception {
        for (String name : new String[] {"..", ".", ""}) {
            byte[] data = enc(d("info", d("name", name, "piece length", 16384, "pieces", hashes(1),
                    "length", 5)));
            Torrent t = parse(data);
            assertThat(t.name()).isEqualTo(t.infoHash().hex());
            assertThat(t.files().get(0).path()).containsExactly(t.infoHash().hex());
        }
        byte[] slash = enc(d("info", d("name", "../a/b", "piece length", 16384, "pieces", hashes(1),
                "length", 5)));
        assertThat(parse(slash).name()).isEqualTo(".._a_b");
    }

    @Test
    void elementsOver240BytesAreCutAsLibtorrentCutsThem() throws Exception {
        String a = "a".repeat(240);
        assertThat(paths(parse(multi(8,
                file(1, "a".repeat(300) + ".mkv"),                 // the extension is kept
                file(1, "\u00e9".repeat(150) + ".mkv"),           // 2-byte code points: 120 of them
                file(1, "z".repeat(300)),                          // no extension: 240 bytes
                file(1, "a".repeat(250) + ".verylongext"),         // a dot 12 bytes from the end is no extension
                file(1, "a" + "\u65e5".repeat(100)),              // never inside a code point: 241 bytes
                file(1, "b".repeat(240)),                          // 240 bytes stay
                file(1, "c".repeat(241)),
                file(1, "d".repeat(300), "x"))))).containsExactly(  // directories too
                a + ".mkv", "\u00e9".repeat(120) + ".mkv", "z".repeat(240), a,
                "a" + "\u65e5".repeat(80), "b".repeat(240), "c".repeat(240), "d".repeat(240) + "/x");
    }

    @Test
    void namesThatMeetOnceCutAreNumbered() throws Exception {
        String x = "x".repeat(250);
        assertThat(paths(parse(multi(2, file(1, x + "1.mkv"), file(1, x + "2.mkv")))))
                .containsExactly("x".repeat(240) + ".mkv", "x".repeat(240) + ".1.mkv");
        // the longest a cut leaves: a 4-byte code point across byte 240, then a 9-byte extension
        String stem = "a".repeat(239) + "\ud83c\udfac";
        String longest = PathSanitizer.cut(stem + "bbbbb.extensio");
        assertThat(longest).isEqualTo(stem + ".extensio");
        assertThat(longest.getBytes(StandardCharsets.UTF_8)).hasSize(252);
        // a clash's number past .99 takes its bytes from the stem, whole code points at a time
        assertThat(PathSanitizer.fitted(stem, ".7.extensio")).isEqualTo(stem + ".7.extensio");
        assertThat(PathSanitizer.fitted(stem, ".100.extensio")).isEqualTo("a".repeat(239) + ".100.extensio");
        byte[] single = enc(d("info", d("name", "n".repeat(400) + ".iso", "piece length", 16384,
                "pieces", hashes(1), "length", 5)));
        assertThat(parse(single).name()).isEqualTo("n".repeat(240) + ".iso");
    }

    @Test
    void duplicatesAreNumberedBeforeTheExtension() throws Exception {
        assertThat(paths(parse(multi(6, file(1, "a.txt"), file(1, "a.txt"), file(1, "a.txt"),
                file(1, "noext"), file(1, "noext"), file(1, "d", ".bashrc"))))).containsExactly(
                "a.txt", "a.1.txt", "a.2.txt", "noext", "noext.1", "d/.bashrc");
    }

    @Test
    void fileAndDirectoryClashesAreRenamed() throws Exception {
        // a file "d" then files below "d/": the directory is renamed once for all of them
        assertThat(paths(parse(multi(4, file(1, "d"), file(1, "d", "x"), file(1, "d", "y"),
                file(1, "x", "y"))))).containsExactly("d", "d.1/x", "d.1/y", "x/y");
        // a directory "x" then a file "x": the file is renamed
        assertThat(paths(parse(multi(2, file(1, "x", "y"), file(1, "x")))))
                .containsExactly("x/y", "x.1");
    }

    @Test
    void utf8VariantsArePreferred() throws Exception {
        byte[] latin1 = "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        byte[] data = enc(d("comment", "plain", "comment.utf-8", "n\u00e9",
                "info", d("name", latin1, "name.utf-8", "caf\u00e9", "piece length", 16384,
                        "pieces", hashes(1), "files", l(d("length", 3, "path", l(latin1),
                                "path.utf-8", l("\u00e9t\u00e9", "\u65e5\u672c.txt"))))));
        Torrent t = parse(data);
        assertThat(t.name()).isEqualTo("caf\u00e9");
        assertThat(t.comment()).isEqualTo("n\u00e9");
        assertThat(paths(t)).containsExactly("\u00e9t\u00e9/\u65e5\u672c.txt");
    }

    @Test
    void bep47AttributesAndPadFiles() throws Exception {
        byte[] data = multi(16384 * 2 + 5,
                d("length", 5, "path", l("run.sh"), "attr", "x"),
                d("length", 16379, "path", l(".pad", "16379"), "attr", "p"),
                d("length", 16384, "path", l(".secret"), "attr", "h"),
                d("length", 5, "path", l(".pad", "16379"), "attr", "p"));
        Torrent t = parse(data);
        assertThat(t.files()).extracting(FileEntry::pad).containsExactly(false, true, false, true);
        assertThat(t.files().get(0).executable()).isTrue();
        assertThat(t.files().get(2).hidden()).isTrue();
        assertThat(t.files().get(2).offset()).isEqualTo(16384);
        assertThat(t.visibleFiles()).extracting(FileEntry::pathString).containsExactly("run.sh", ".secret");
        assertThat(t.totalLength()).isEqualTo(16384 * 2 + 5);
    }

    @Test
    void symlinksMustStayInsideTheTorrent() throws Exception {
        byte[] data = multi(4,
                file(4, "dir", "target.txt"),
                d("length", 0, "path", l("rel"), "attr", "l", "symlink path", l("dir", "target.txt")),
                d("length", 0, "path", l("named"), "attr", "l", "symlink path", l("t", "dir")),
                d("length", 0, "path", l("escape"), "attr", "l",
                        "symlink path", l("..", "..", "etc", "passwd")),
                d("length", 0, "path", l("dangling"), "attr", "l", "symlink path", l("nothere")),
                d("length", 0, "path", l("nopath"), "attr", "l"),
                d("length", 0, "path", l("self"), "attr", "l", "symlink path", l("self")));
        Torrent t = parse(data);
        assertThat(t.files()).extracting(FileEntry::symlinkTarget).containsExactly(
                Optional.empty(), Optional.of(List.of("dir", "target.txt")), Optional.of(List.of("dir")),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Test
    void outerFieldsAreKept() throws Exception {
        byte[] data = enc(d("announce", "http://a/ann", "announce-list",
                l(l("http://b/ann", " http://c/ann "), l(), l("http://b/ann", 5), l("udp://d:1")),
                "url-list", "http://seed/", "creation date", 1700000000, "created by", "me",
                "comment", "hi", "info", d("name", "x", "piece length", 16384, "pieces", hashes(1),
                        "length", 1, "private", 1)));
        Torrent t = parse(data);
        assertThat(t.trackers()).containsExactly(List.of("http://a/ann"),
                List.of("http://b/ann", "http://c/ann"), List.of("udp://d:1"));
        assertThat(t.webSeeds()).containsExactly("http://seed/");
        assertThat(t.isPrivate()).isTrue();
        assertThat(t.creationDate()).hasValue(1700000000);
        assertThat(t.createdBy()).isEqualTo("me");
        assertThat(t.comment()).isEqualTo("hi");
        assertThat(t.singleFile()).isTrue();
        assertThat(t.hybrid()).isFalse();

        byte[] list = enc(d("url-list", l("http://a/", "", "http://b/", "http://a/"), "announce", 7,
                "info", d("name", "x", "piece length", 16384, "pieces", hashes(1), "length", 1)));
        Torrent u = parse(list);
        assertThat(u.webSeeds()).containsExactly("http://a/", "http://b/");
        assertThat(u.trackers()).isEmpty();
        assertThat(u.isPrivate()).isFalse();
        assertThat(u.creationDate()).isEmpty();
        assertThat(u.comment()).isEmpty();
    }

    @Test
    void hybridIsReadThroughItsV1Part() throws Exception {
        byte[] data = enc(d("info", d("meta version", 2, "file tree", d(), "name", "h",
                "piece length", 16384, "pieces", hashes(1), "length", 10)));
        Torrent t = parse(data);
        assertThat(t.hybrid()).isTrue();
        assertThat(t.totalLength()).isEqualTo(10);
    }

    @Test
    void infoHashIsOverTheOriginalBytesEvenWithUnsortedKeys() throws Exception {
        String info = "d6:lengthi5e4:name1:x6:pieces20:" + "a".repeat(20) + "12:piece lengthi16384ee";
        byte[] data = ("d4:info" + info + "e").getBytes(StandardCharsets.ISO_8859_1);
        Torrent t = parse(data);
        byte[] expected = MessageDigest.getInstance("SHA-1").digest(info.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(t.infoHash().bytes()).isEqualTo(expected);
        assertThat(t.rawInfo()).isEqualTo(info.getBytes(StandardCharsets.ISO_8859_1));
        byte[] canonical = BencodeEncoder.encode(BencodeDecoder.decode(t.rawInfo()));
        assertThat(MessageDigest.getInstance("SHA-1").digest(canonical)).isNotEqualTo(expected);
    }
}
