package torfs.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FileTableTest {
    @Test
    void entriesComeBackAsAddedWithRunningOffsets() {
        FileTable.Builder b = new FileTable.Builder();
        b.add(List.of("a", "b", "one.txt"), 10, false, true, false);
        b.add(List.of(".pad", "6"), 6, true, false, false);
        b.add(List.of("two.txt"), 0, false, false, true);
        b.add(List.of("a", "link"), 0, false, false, false);
        b.link(3, List.of("a", "b", "one.txt"));
        FileTable t = b.build();

        assertThat(t.asList()).containsExactly(
                new FileEntry(0, List.of("a", "b", "one.txt"), 0, 10, false, true, false, Optional.empty()),
                new FileEntry(1, List.of(".pad", "6"), 10, 6, true, false, false, Optional.empty()),
                new FileEntry(2, List.of("two.txt"), 16, 0, false, false, true, Optional.empty()),
                new FileEntry(3, List.of("a", "link"), 16, 0, false, false, false,
                        Optional.of(List.of("a", "b", "one.txt"))));
        assertThat(t.depth(0)).isEqualTo(2);
        assertThat(t.depth(2)).isZero();
        assertThat(t.end(0)).isEqualTo(10);
        assertThat(t.isSymlink(3)).isTrue();
        assertThat(t.lengths()).containsExactly(10, 6, 0, 0);
    }

    @Test
    void eachDirectoryIsStoredOnceWhateverTheNumberOfFilesBelowIt() {
        FileTable.Builder b = new FileTable.Builder();
        for (int d = 0; d < 100; d++) {
            for (int f = 0; f < 100; f++) {
                b.add(List.of("top", "dir" + d, "file" + f), 1, false, false, false);
            }
        }
        FileTable t = b.build();
        assertThat(t.dirCount()).isEqualTo(1 + 1 + 100); // root, top, dir0..dir99
        assertThat(t.dirOf(0)).isEqualTo(t.dirOf(99)).isNotEqualTo(t.dirOf(100));
        assertThat(t.dirNames().get(t.dirOf(250))).isEqualTo("dir2");
        assertThat(t.dirNames().get(t.dirParent(t.dirOf(250)))).isEqualTo("top");
        assertThat(t.dirParent(t.dirParent(t.dirOf(250)))).isEqualTo(FileTable.ROOT_DIR);
        assertThat(t.path(9_999)).containsExactly("top", "dir99", "file99");
        // per file: two longs, a flag byte, a directory int, the name's bytes and its int
        long names = 0;
        for (int i = 0; i < t.size(); i++) {
            names += t.fileNames().lengthOf(i);
        }
        assertThat(t.footprint()).isLessThan(30L * t.size() + names + 2_000);
    }

    @Test
    void aListOfEntriesBecomesATableAndATablesListIsItsOwnTable() {
        List<FileEntry> plain = List.of(
                new FileEntry(0, List.of("x", "y"), 0, 5, false, false, false, Optional.empty()),
                new FileEntry(1, List.of("z"), 5, 7, false, false, false, Optional.of(List.of("x", "y"))));
        FileTable t = FileTable.of(plain);
        assertThat(t.asList()).isEqualTo(plain);
        assertThat(FileTable.of(t.asList())).isSameAs(t);
    }

    @Test
    void aTorrentHoldsItsFilesAsATable() {
        Torrent torrent = new Torrent("n", InfoHash.of(new byte[20]), 16384, new byte[20],
                List.of(new FileEntry(0, List.of("a"), 0, 3, false, false, false, Optional.empty())),
                false, 3, List.of(), List.of(), false, java.util.OptionalLong.empty(), "", "", false,
                new byte[0]);
        assertThat(FileTable.of(torrent.files())).isSameAs(torrent.fileTable());
        assertThat(torrent.files().get(0).pathString()).isEqualTo("a");
    }

    @Test
    void badFilesAreRefused() {
        FileTable.Builder b = new FileTable.Builder();
        assertThatThrownBy(() -> b.add(List.of(), 1, false, false, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.add(List.of("a"), -1, false, false, false))
                .isInstanceOf(IllegalArgumentException.class);
        b.add(List.of("a"), Long.MAX_VALUE, false, false, false);
        assertThatThrownBy(() -> b.add(List.of("b"), 1, false, false, false))
                .isInstanceOf(ArithmeticException.class);
    }
}
