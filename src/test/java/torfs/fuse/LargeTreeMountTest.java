package torfs.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import torfs.metainfo.Torrent;
import torfs.stream.FakePieceSource;
import torfs.stream.ReaderConfig;
import torfs.stream.TestTorrents;

/** A 100,000-file torrent: mount time and a full `find` (timings printed, not asserted). */
@Timeout(300)
class LargeTreeMountTest extends RealMountTest {
    @Test
    void hundredThousandFilesMountAndFindCountsThemAll() throws Exception {
        TestTorrents.Files files = new TestTorrents.Files();
        for (int d = 0; d < 1000; d++) {
            for (int f = 0; f < 100; f++) {
                files.file(String.format("dir%04d/sub/file%03d.dat", d, f), 1000 + f);
            }
        }
        Torrent t = TestTorrents.multiFile("many", 256 * 1024, files.list());
        FakePieceSource src = new FakePieceSource(t); // no data needed for the tree
        long t0 = System.nanoTime();
        mount = FuseTestSupport.mount(src, ReaderConfig.defaults().withReadTimeout(Duration.ofSeconds(5)), mnt);
        long mountMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(mount.fs().fileCount()).isEqualTo(100_000);

        long t1 = System.nanoTime();
        var find = FuseTestSupport.sh("find '" + mnt + "' -type f | wc -l");
        long findMs = (System.nanoTime() - t1) / 1_000_000;
        assertThat(find.out().trim()).isEqualTo("100000");
        long t2 = System.nanoTime();
        var findAgain = FuseTestSupport.sh("find '" + mnt + "' -type f | wc -l");
        long findAgainMs = (System.nanoTime() - t2) / 1_000_000;
        assertThat(findAgain.out().trim()).isEqualTo("100000");
        var dirs = FuseTestSupport.sh("find '" + mnt + "' -type d | wc -l");
        assertThat(dirs.out().trim()).isEqualTo(String.valueOf(1 + 1 + 2000)); // root, many, dirs + subs
        var ls = FuseTestSupport.sh("ls '" + mnt + "/many/dir0999/sub' | tail -1");
        assertThat(ls.out().trim()).isEqualTo("file099.dat");
        System.out.printf("100k-file torrent: mount %d ms, find -type f %d ms (again %d ms)%n",
                mountMs, findMs, findAgainMs);
    }
}
