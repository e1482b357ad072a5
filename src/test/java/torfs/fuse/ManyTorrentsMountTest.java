package torfs.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static torfs.fuse.FuseTestSupport.sh;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import torfs.stream.FakePieceSource;
import torfs.stream.ReaderConfig;
import torfs.stream.TestTorrents;
import torfs.stream.TorrentReader;

/** A real FUSE mount of a set of torrents that grows and shrinks while mounted. */
@Timeout(120)
class ManyTorrentsMountTest extends RealMountTest {
    private static TorrentReader reader(FakePieceSource src) {
        return new TorrentReader(src, ReaderConfig.defaults().withReadTimeout(Duration.ofSeconds(10)));
    }

    @Test
    void torrentsComeAndGoWhileMountedAndAnOpenFileOutlivesItsRemoval() throws Exception {
        Files.createDirectories(mnt);
        TorrentSet set = new TorrentSet();
        FakePieceSource a = FakePieceSource.complete(TestTorrents.singleFile("a.bin", 100_000, 16 * 1024));
        FakePieceSource b = new FakePieceSource(TestTorrents.multiFile("dir", 16 * 1024,
                new TestTorrents.Files().file("x.bin", 40_000).list()));
        b.verify(0);
        set.add(reader(a));
        TorrentFs fs = new TorrentFs(set, true);
        mount = FuseMount.mount(fs, mnt, List.of());
        assertThat(names()).containsExactly("a.bin");
        // a name looked up before its torrent came must show once it does
        assertThat(Files.exists(mnt.resolve("dir"))).isFalse();
        set.add(reader(b));
        // at once: the add made the kernel forget that the name was missing
        assertThat(Files.isDirectory(mnt.resolve("dir"))).isTrue();
        assertThat(names()).containsExactly("a.bin", "dir");
        assertThat(Files.readAllBytes(mnt.resolve("a.bin"))).isEqualTo(TestTorrents.bytes(0, 100_000));
        // progress per torrent and in total
        assertThat(sh("getfattr --only-values -n user.torfs.progress '" + mnt.resolve("dir") + "'").out())
                .isEqualTo("16384/40000");
        assertThat(sh("getfattr --only-values -n user.torfs.progress '" + mnt + "'").out())
                .isEqualTo((100_000 + 16384) + "/140000");
        assertThat(sh("stat -f -c '%b %f' '" + mnt + "'").out().trim()).isEqualTo("35 6");
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(mnt.resolve("a.bin"));
             InputStream open = java.nio.channels.Channels.newInputStream(ch)) {
            TorrentSet.Removed r = set.remove("a.bin");
            Thread.sleep(1100); // past the attribute timeout: fstat must ask us
            assertThat(ch.size()).as("fstat of the open file").isEqualTo(100_000);
            assertThat(r.drained()).isNotDone();
            // new opens fail, the open handle still reads right bytes
            try {
                Files.newInputStream(mnt.resolve("a.bin")).close();
                throw new AssertionError("opened a removed torrent's file");
            } catch (NoSuchFileException expected) {
                // ENOENT
            }
            assertThat(open.readAllBytes()).isEqualTo(TestTorrents.bytes(0, 100_000));
            assertThat(names()).containsExactly("dir");
            open.close();
            r.drained().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        // a removed torrent is gone at once, though the kernel had its name cached for a day
        assertThat(Files.isDirectory(mnt.resolve("dir"))).isTrue();
        set.remove("dir");
        assertThat(Files.exists(mnt.resolve("dir"))).as("gone at once").isFalse();
    }

    private List<String> names() throws Exception {
        try (var s = Files.list(mnt)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
