package torfs.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import torfs.metainfo.Torrent;
import torfs.stream.TestTorrents;

class FsTreeTest {
    @Test
    void singleFileTorrentIsAFileAtTheRoot() {
        FsTree tree = FsTree.build(TestTorrents.singleFile("movie.mkv", 10, 16384));
        assertThat(names(tree.root())).containsExactly("movie.mkv");
        assertThat(tree.lookup("/movie.mkv")).isInstanceOf(FsTree.File.class);
        assertThat(tree.fileCount()).isEqualTo(1);
    }

    @Test
    void multiFileTorrentIsADirectoryWithSortedChildrenAndNoPadFiles() {
        Torrent t = TestTorrents.multiFile("top", 16384, new TestTorrents.Files()
                .file("b/z", 5).pad(100).file("b/a", 5).file("a", 1).symlink("c/l", "b/z").list());
        FsTree tree = FsTree.build(t);
        assertThat(names(tree.root())).containsExactly("top");
        assertThat(names((FsTree.Dir) tree.lookup("/top"))).containsExactly("a", "b", "c");
        assertThat(names((FsTree.Dir) tree.lookup("/top/b"))).containsExactly("a", "z");
        assertThat(tree.lookup("/top/.pad")).isNull();
        assertThat(((FsTree.Dir) tree.lookup("/top")).subdirs).isEqualTo(2);
        assertThat(new String(((FsTree.Link) tree.lookup("/top/c/l")).target)).isEqualTo("../b/z");
        assertThat(tree.fileCount()).isEqualTo(3);
        FsTree.Dir top = (FsTree.Dir) tree.lookup("/top");
        assertThat(top.size).isEqualTo(11);
        assertThat(top.start).isZero();
        assertThat(top.end).isEqualTo(111);
    }

    @Test
    void aFileWhereADirectoryIsNeededKeepsTheFirstEntry() {
        Torrent t = TestTorrents.multiFile("top", 16384, new TestTorrents.Files()
                .file("x", 1).file("x/y", 1).file("x", 2).list());
        FsTree tree = FsTree.build(t);
        assertThat(tree.lookup("/top/x")).isInstanceOf(FsTree.File.class);
        assertThat(((FsTree.File) tree.lookup("/top/x")).entry.length()).isEqualTo(1);
        assertThat(tree.lookup("/top/x/y")).isNull();
    }

    @Test
    void linkTextClimbsToTheTorrentRoot() {
        assertThat(FsTree.linkText(0, List.of("a", "b"))).isEqualTo("a/b");
        assertThat(FsTree.linkText(2, List.of("a"))).isEqualTo("../../a");
    }

    @Test
    void mountinfoLinesAreParsedWithOctalEscapes() {
        MountTable.Entry e = MountTable.parse(
                "112 29 0:52 / /tmp/a\\040b\\134c rw,nosuid,nodev - fuse.torfs torfs rw,user_id=0,group_id=0");
        assertThat(e).isEqualTo(new MountTable.Entry("/tmp/a b\\c", "fuse.torfs", "torfs"));
        MountTable.Entry opt = MountTable.parse(
                "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue");
        assertThat(opt.mountPoint()).isEqualTo("/mnt2");
        assertThat(opt.fsType()).isEqualTo("ext3");
    }

    private static List<String> names(FsTree.Dir d) {
        return Arrays.stream(d.children).map(n -> n.name).toList();
    }
}
