package torfs.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import torfs.control.ControlException;
import torfs.control.TorrentView;
import torfs.metainfo.Torrent;
import torfs.stream.DeferredPieceSource;
import torfs.stream.FakePieceSource;
import torfs.stream.ReaderConfig;
import torfs.stream.TestTorrents;
import torfs.stream.TorrentReader;

/** The control API of a mount of one torrent: it shows that torrent and refuses to change the set. */
class SingleMountLibraryTest {
    private final Torrent torrent = TestTorrents.singleFile("film.mkv", 5 * 16384 + 100, 16384);
    private final DeferredPieceSource source = new DeferredPieceSource(torrent);
    private final TorrentReader reader = new TorrentReader(source, ReaderConfig.defaults());
    private final SingleMountLibrary library = new SingleMountLibrary(torrent, source, reader, () -> 2, Path.of("/data"));

    @Test
    void showsTheTorrentCheckingThenByItsPieces() {
        TorrentView v = library.list().get(0);
        assertThat(v.name()).isEqualTo("film.mkv");
        assertThat(v.state()).isEqualTo("checking");
        assertThat(v.openHandles()).isEqualTo(2);
        assertThat(v.downloadDir()).isEqualTo("/data");
        source.started(FakePieceSource.complete(torrent));
        v = library.list().get(0);
        assertThat(v.state()).isEqualTo("seeding");
        assertThat(v.haveValid()).isEqualTo(torrent.totalLength());
        assertThat(v.files()).singleElement().satisfies(f -> assertThat(f.bytesCompleted()).isEqualTo(f.length()));
    }

    @Test
    void aFailedStartIsAnError() {
        source.failed(new java.io.IOException("the disk went away"));
        TorrentView v = library.list().get(0);
        assertThat(v.state()).isEqualTo("error");
        assertThat(v.error()).contains("the disk went away");
    }

    @Test
    void isFoundByNameOrInfoHashPrefix() {
        String hex = torrent.infoHash().hex();
        assertThat(library.find("film.mkv")).isNotNull();
        assertThat(library.find(hex.substring(0, 8).toUpperCase())).isNotNull();
        assertThat(library.find(hex.substring(0, 7))).as("8 hex digits at least").isNull();
        assertThat(library.find("other")).isNull();
    }

    @Test
    void refusesToAddRemoveOrPauseInOneLine() {
        assertThatThrownBy(() -> library.add("/x.torrent", false)).isInstanceOf(ControlException.class)
                .hasMessageStartingWith("a mount of one torrent serves only it");
        assertThatThrownBy(() -> library.addMetainfo(new byte[0], false)).isInstanceOf(ControlException.class);
        assertThatThrownBy(() -> library.remove("film.mkv", false)).isInstanceOf(ControlException.class)
                .hasMessageContaining("torfs unmount");
        assertThatThrownBy(() -> library.setPaused(List.of("film.mkv"), true)).isInstanceOf(ControlException.class)
                .hasMessageContaining("cannot be paused");
        assertThat(library.list()).hasSize(1);
    }
}
