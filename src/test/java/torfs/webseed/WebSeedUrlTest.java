package torfs.webseed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import torfs.metainfo.FileEntry;
import torfs.metainfo.InfoHash;
import torfs.metainfo.Torrent;

class WebSeedUrlTest {
    /** A torrent of the given files (path elements joined by '/'; "*" marks a pad file). */
    static Torrent torrent(String name, boolean single, int pieceLength, Object... pathsAndLengths) {
        List<FileEntry> files = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < pathsAndLengths.length; i += 2) {
            String path = (String) pathsAndLengths[i];
            long length = ((Number) pathsAndLengths[i + 1]).longValue();
            boolean pad = path.startsWith("*");
            files.add(new FileEntry(i / 2, List.of((pad ? path.substring(1) : path).split("/")), offset, length,
                    pad, false, false, Optional.empty()));
            offset += length;
        }
        int pieces = (int) ((offset + pieceLength - 1) / pieceLength);
        byte[] raw = name.getBytes();
        return new Torrent(name, InfoHash.sha1Of(raw, 0, raw.length), pieceLength, new byte[20 * pieces], files,
                single, offset, List.of(), List.of(), false, OptionalLong.empty(), null, null, false, raw);
    }

    @Test
    void singleFileUrlWithoutSlashIsTheFileItself() {
        Torrent t = torrent("movie.mkv", true, 16384, "movie.mkv", 100);
        assertThat(WebSeedUrl.of("http://h/files/other-name.mkv", t, 0))
                .hasToString("http://h/files/other-name.mkv");
    }

    @Test
    void singleFileUrlWithSlashTakesTheName() {
        Torrent t = torrent("my movie#1.mkv", true, 16384, "my movie#1.mkv", 100);
        assertThat(WebSeedUrl.of("http://h:8080/files/", t, 0))
                .hasToString("http://h:8080/files/my%20movie%231.mkv");
    }

    @Test
    void multiFileUrlTakesNameAndPathWithOrWithoutSlash() {
        Torrent t = torrent("album", false, 16384, "cd1/track 1.flac", 10, "cover.jpg", 10);
        assertThat(WebSeedUrl.of("http://h/pub", t, 0)).hasToString("http://h/pub/album/cd1/track%201.flac");
        assertThat(WebSeedUrl.of("http://h/pub/", t, 1)).hasToString("http://h/pub/album/cover.jpg");
    }

    @Test
    void namesThatNeedEncodingStayOneElementEach() {
        Torrent t = torrent("a?b", false, 16384, "ü/100%;x&y=z", 10);
        assertThat(WebSeedUrl.of("http://h/", t, 0)).hasToString("http://h/a%3Fb/%C3%BC/100%25%3Bx%26y%3Dz");
        assertThat(WebSeedUrl.of("http://h/", t, 0).getPath()).isEqualTo("/a?b/ü/100%;x&y=z");
    }
}
