package torfs.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import torfs.metainfo.Torrent;
import torfs.stream.TestTorrents;

class FsTreeTest {
    @Test
    void singleFileTorrentIsAFileAtTheRoot() {
        FsTree tree = FsTree.build(TestTorrents.singleFile("movie.mkv", 10, 16384));
        assertThat(names(tree, tree.root())).containsExactly("movie.mkv");
        assertThat(tree.lookup("/movie.mkv")).isEqualTo(0);
        assertThat(tree.fileCount()).isEqualTo(1);
    }

    @Test
    void multiFileTorrentIsADirectoryWithSortedChildrenAndNoPadFiles() {
        Torrent t = TestTorrents.multiFile("top", 16384, new TestTorrents.Files()
                .file("b/z", 5).pad(100).file("b/a", 5).file("a", 1).symlink("c/l", "b/z").list());
        FsTree tree = FsTree.build(t);
        assertThat(names(tree, tree.root())).containsExactly("top");
        int top = tree.lookup("/top");
        assertThat(names(tree, top)).containsExactly("a", "b", "c");
        assertThat(names(tree, tree.lookup("/top/b"))).containsExactly("a", "z");
        assertThat(tree.lookup("/top/.pad")).isEqualTo(FsTree.NONE);
        assertThat(tree.subdirs(top)).isEqualTo(2);
        assertThat(new String(tree.linkTarget(tree.lookup("/top/c/l")))).isEqualTo("../b/z");
        assertThat(tree.fileCount()).isEqualTo(3);
        assertThat(tree.dirSize(top)).isEqualTo(11);
        assertThat(tree.dirStart(top)).isZero();
        assertThat(tree.dirEnd(top)).isEqualTo(111);
        assertThat(tree.nodeCount()).isEqualTo(8); // /, top, a, b, b/a, b/z, c, c/l
    }

    @Test
    void aFileWhereADirectoryIsNeededKeepsTheFirstEntry() {
        Torrent t = TestTorrents.multiFile("top", 16384, new TestTorrents.Files()
                .file("x", 1).file("x/y", 1).file("x", 2).list());
        FsTree tree = FsTree.build(t);
        int x = tree.lookup("/top/x");
        assertThat(FsTree.isDir(x)).isFalse();
        assertThat(tree.files().length(x)).isEqualTo(1);
        assertThat(tree.lookup("/top/x/y")).isEqualTo(FsTree.NONE);
        assertThat(names(tree, tree.lookup("/top"))).containsExactly("x");
        assertThat(tree.fileCount()).isEqualTo(1);
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

    @Test
    void aDirectoryBeforeAFileOfItsNameShadowsTheFile() {
        Torrent t = TestTorrents.multiFile("top", 16384, new TestTorrents.Files()
                .file("x/y", 1).file("x", 2).list());
        FsTree tree = FsTree.build(t);
        assertThat(FsTree.isDir(tree.lookup("/top/x"))).isTrue();
        assertThat(tree.lookup("/top/x/y")).isEqualTo(0);
        assertThat(tree.fileCount()).isEqualTo(1);
    }

    @Test
    void lookupsFindEveryPathOfADeepWideTreeAndNothingElse() {
        TestTorrents.Files files = new TestTorrents.Files();
        for (int d = 0; d < 20; d++) {
            for (int f = 0; f < 50; f++) {
                files.file("d" + d + "/e" + (d % 3) + "/f" + f + ".bin", 1 + f);
            }
        }
        FsTree tree = FsTree.build(TestTorrents.multiFile("top", 16384, files.list()));
        assertThat(tree.fileCount()).isEqualTo(1000);
        for (int d = 0; d < 20; d++) {
            for (int f = 0; f < 50; f++) {
                int node = tree.lookup("/top/d" + d + "/e" + (d % 3) + "/f" + f + ".bin");
                assertThat(node).isEqualTo(d * 50 + f);
            }
        }
        assertThat(tree.lookup("/top/d3/e1/f1.bin")).isEqualTo(FsTree.NONE); // d3 holds e0
        assertThat(tree.lookup("/top/d1/e1/f1.bin/x")).isEqualTo(FsTree.NONE);
        assertThat(tree.lookup("/top//d1/e1/")).isEqualTo(tree.lookup("/top/d1/e1"));
        assertThat(tree.lookup("top")).isEqualTo(FsTree.NONE);
        assertThat(tree.dirSize(tree.lookup("/top/d0"))).isEqualTo(50 * 51 / 2);
    }

    @Test
    void namesSortByUtf8BytesAndLookUpInAnyScript() {
        Torrent t = TestTorrents.multiFile("top", 16384, new TestTorrents.Files()
                .file("zeta", 1).file("été", 1).file("Zeta", 1).file("日本", 1).file("a/b", 1).list());
        FsTree tree = FsTree.build(t);
        assertThat(names(tree, tree.lookup("/top"))).containsExactly("Zeta", "a", "zeta", "été", "日本");
        assertThat(tree.lookup("/top/日本")).isEqualTo(3);
        assertThat(tree.lookup("/top/été")).isEqualTo(1);
    }

    private static List<String> names(FsTree tree, int dir) {
        List<String> out = new java.util.ArrayList<>();
        for (int k = 0; k < tree.childCount(dir); k++) {
            out.add(tree.name(tree.child(dir, k)));
        }
        return out;
    }
}
