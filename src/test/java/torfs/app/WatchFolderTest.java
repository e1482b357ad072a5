package torfs.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import torfs.metainfo.MetainfoParser;
import torfs.metainfo.TorrentBuilder;

/** What the watch folder reads from real files. */
class WatchFolderTest {
    @TempDir
    Path dir;

    @Test
    void listsTorrentAndMagnetFilesButNotHiddenOrOtherOnes() throws Exception {
        for (String n : new String[] {"a.torrent", "B.TORRENT", "c.magnet", ".d.torrent", "e.torrent.part", "f.txt"}) {
            Files.writeString(dir.resolve(n), "x");
        }
        Files.createDirectory(dir.resolve("g.torrent"));
        assertThat(WatchFolder.list(dir)).containsOnlyKeys("a.torrent", "B.TORRENT", "c.magnet");
    }

    @Test
    void aMagnetFileHoldsOneMagnetALineWithCommentsAndBlankLines() throws Exception {
        String h1 = "0123456789abcdef0123456789abcdef01234567";
        String h2 = "1123456789abcdef0123456789abcdef01234567";
        Path f = dir.resolve("m.magnet");
        Files.writeString(f, "# from the browser\nmagnet:?xt=urn:btih:" + h1 + "&dn=one\r\n\n  magnet:?xt=urn:btih:" + h2 + "\n");
        var p = WatchFolder.parse(f);
        assertThat(p.error()).isNull();
        assertThat(p.torrents().values()).extracting(x -> x.magnet().infoHash().hex()).containsExactlyInAnyOrder(h1, h2);
        Files.writeString(f, "magnet:?xt=urn:btih:" + h1 + "\nmagnet:?xt=urn:btih:0123"); // a line cut short
        assertThat(WatchFolder.parse(f).error()).isEqualTo(
                "line 2: magnet info-hash has 4 characters; expected 40 hex or 32 base32");
        // written by Windows' Notepad: a byte-order mark and CRLF
        Files.writeString(f, "\uFEFFmagnet:?xt=urn:btih:" + h1 + "\r\nmagnet:?xt=urn:btih:" + h2 + "\r\n");
        assertThat(WatchFolder.parse(f).torrents().values()).extracting(x -> x.magnet().infoHash().hex())
                .containsExactlyInAnyOrder(h1, h2);
    }

    @Test
    void aTruncatedTorrentDoesNotParseAndTheWholeOneDoes() throws Exception {
        Path src = dir.resolve("src.bin");
        Files.write(src, new byte[100_000]);
        byte[] whole = TorrentBuilder.of(src).pieceLength(16 * 1024).build();
        var t = MetainfoParser.parse(whole);
        Path f = dir.resolve("x.torrent");
        Files.write(f, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertThat(WatchFolder.parse(f).error()).isNotNull();
        Files.write(f, whole);
        var p = WatchFolder.parse(f);
        assertThat(p.error()).isNull();
        assertThat(p.torrents()).containsOnlyKeys(t.infoHash());
    }
}
