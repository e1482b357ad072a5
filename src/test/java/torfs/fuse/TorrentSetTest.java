package torfs.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import torfs.stream.FakePieceSource;
import torfs.stream.ReaderConfig;
import torfs.stream.TestTorrents;
import torfs.stream.TorrentReader;

class TorrentSetTest {
    private static final String HEX = "0123abcd0123abcd0123abcd0123abcd0123abcd";

    private static TorrentReader reader(String name, long length) {
        return new TorrentReader(FakePieceSource.complete(TestTorrents.singleFile(name, length, 16 * 1024)),
                ReaderConfig.defaults().withReadTimeout(Duration.ofSeconds(5)));
    }

    private static TorrentReader album(String name, long length) {
        return new TorrentReader(FakePieceSource.complete(TestTorrents.multiFile(name, 16 * 1024,
                new TestTorrents.Files().file("a.bin", length).list())),
                ReaderConfig.defaults().withReadTimeout(Duration.ofSeconds(5)));
    }

    @Test
    void aFreeNameIsKept() {
        assertThat(TorrentSet.distinctName("film.mkv", HEX, true, n -> false)).isEqualTo("film.mkv");
    }

    @Test
    void aTakenFileNameGetsTheHashBeforeItsExtension() {
        assertThat(TorrentSet.distinctName("film.mkv", HEX, true, Set.of("film.mkv")::contains))
                .isEqualTo("film-0123abcd.mkv");
        assertThat(TorrentSet.distinctName(".hidden", HEX, true, Set.of(".hidden")::contains))
                .isEqualTo(".hidden-0123abcd");
    }

    @Test
    void aTakenDirectoryNameGetsTheHashAfterIt() {
        assertThat(TorrentSet.distinctName("Album.2020", HEX, false, Set.of("Album.2020")::contains))
                .isEqualTo("Album.2020-0123abcd");
    }

    @Test
    void moreDigitsWhenTheShortSuffixIsTakenToo() {
        assertThat(TorrentSet.distinctName("x", HEX, false, Set.of("x", "x-0123abcd")::contains))
                .isEqualTo("x-0123abcd0123abcd");
    }

    @Test
    void twoTorrentsOfOneNameShowUnderDistinctNamesWhateverTheOrderOfRemoval() {
        TorrentSet set = new TorrentSet();
        MountedTorrent a = set.add(album("Same", 1000));
        TorrentReader second = album("Same", 2000);
        MountedTorrent b = set.add(second);
        assertThat(a.name()).isEqualTo("Same");
        assertThat(b.name()).isEqualTo("Same-" + second.torrent().infoHash().hex().substring(0, 8));
        assertThat(set.all()).extracting(MountedTorrent::name).containsExactly(a.name(), b.name());
        // removing the first does not rename the second: names are stable while mounted
        assertThat(set.remove("Same").torrent()).isSameAs(a);
        assertThat(set.find(b.name())).isSameAs(b);
        assertThat(set.find("Same")).isNull();
    }

    @Test
    void theSameTorrentTwiceIsRefused() {
        TorrentSet set = new TorrentSet();
        set.add(reader("f.bin", 1000));
        assertThatThrownBy(() -> set.add(reader("f.bin", 1000))).isInstanceOf(IllegalStateException.class)
                .hasMessage("already mounted as f.bin");
    }

    @Test
    void findTakesANameAHashOrAUniquePrefixOfEightDigits() {
        TorrentSet set = new TorrentSet();
        MountedTorrent m = set.add(reader("f.bin", 1000));
        String hex = m.torrent().infoHash().hex();
        assertThat(set.find(hex)).isSameAs(m);
        assertThat(set.find(hex.substring(0, 8).toUpperCase())).isSameAs(m);
        assertThat(set.find(hex.substring(0, 7))).isNull();
        assertThat(set.find("nope")).isNull();
    }

    @Test
    void aRemovedTorrentDrainsWhenItsLastHandleCloses() {
        TorrentSet set = new TorrentSet();
        MountedTorrent m = set.add(reader("f.bin", 1000));
        assertThat(m.acquire()).isTrue();
        TorrentSet.Removed r = set.remove("f.bin");
        assertThat(r.drained()).isNotDone();
        assertThat(m.acquire()).as("no new handle once removed").isFalse();
        m.release();
        assertThat(r.drained()).isDone();
        assertThat(set.remove("f.bin")).isNull();
    }

    @Test
    void aClosedSetRefusesAdditionsAndEndsReads() {
        TorrentSet set = new TorrentSet();
        MountedTorrent m = set.add(reader("f.bin", 1000));
        set.close();
        assertThat(m.reader().isClosed()).isTrue();
        assertThatThrownBy(() -> set.add(reader("g.bin", 1000))).isInstanceOf(IllegalStateException.class);
    }
}
