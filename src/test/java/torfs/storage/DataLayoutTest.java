package torfs.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DataLayoutTest {
    private static final Path DATA = Path.of("/data");

    @Test
    void singleFileTorrentNamedLikeTheStateDirectoryIsRefused() {
        TestTorrents.Built t = TestTorrents.single(DataLayout.STATE_DIR, 16384, 1000, 1);
        assertThatThrownBy(() -> DataLayout.of(t.torrent(), DATA))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the torrent is named \".torfs\", which is where TorFS keeps its own state in "
                        + "/data: cannot be stored there");
    }

    @Test
    void directoryTorrentNamedLikeTheStateDirectoryIsRefused() {
        // its files would sit beside the resume files, and one named <hash>.resume would clobber one
        TestTorrents.Built t = TestTorrents.multi(DataLayout.STATE_DIR, 16384, 1,
                TestTorrents.Spec.file("a.bin", 1000));
        assertThatThrownBy(() -> DataLayout.of(t.torrent(), DATA)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesThatOnlyResembleItAreStoredAsUsual() {
        for (String name : new String[] {"torfs", ".torfs2", ".Torfs"}) {
            DataLayout layout = DataLayout.of(TestTorrents.single(name, 16384, 1000, 1).torrent(), DATA);
            assertThat(layout.pathOf(0)).isEqualTo(DATA.resolve(name));
            assertThat(layout.resumeFile().getParent()).isEqualTo(DATA.resolve(".torfs"));
        }
    }
}
