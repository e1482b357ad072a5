package torfs.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static torfs.fuse.FuseTestSupport.sh;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import torfs.metainfo.Torrent;
import torfs.stream.FakePieceSource;
import torfs.stream.ReaderConfig;
import torfs.stream.TestTorrents;
import torfs.stream.TorrentReader;

/** The request loop on Java threads, through a real FUSE mount. */
@Timeout(120)
class FuseLoopTest extends RealMountTest {
    private static final int MIB = 1 << 20;
    @Test
    void readsWaitingForPiecesEachHoldAWorkerWhileOtherRequestsAreServed() throws Exception {
        Torrent t = TestTorrents.multiFile("top", MIB, new TestTorrents.Files()
                .file("a.bin", MIB).file("b.bin", MIB).file("c.bin", MIB).file("ready.bin", MIB).list());
        FakePieceSource src = new FakePieceSource(t);
        src.verify(3);
        mount = FuseTestSupport.mount(src, ReaderConfig.defaults().withReadTimeout(Duration.ofSeconds(60)), mnt);
        List<Process> readers = new ArrayList<>();
        for (String name : List.of("a.bin", "b.bin", "c.bin")) {
            readers.add(new ProcessBuilder("dd", "if=" + mnt.resolve("top/" + name), "of=/dev/null", "bs=64k",
                    "count=1", "status=none").redirectErrorStream(true).start());
        }
        // three workers wait inside reads (with only those, the stat below would hang): the
        // loop starts another whenever the last idle one takes a request
        TorrentFsMountTest.waitUntil(() -> workers() >= 4 && src.wishes().size() >= 3);
        assertThat(sh("stat -c %s '" + mnt.resolve("top/ready.bin") + "'").out().trim()).isEqualTo(String.valueOf(MIB));
        assertThat(Files.readAllBytes(mnt.resolve("top/ready.bin"))).isEqualTo(TestTorrents.bytes(3L * MIB, MIB));
        assertThat(readers).allMatch(Process::isAlive);
        src.verify(0);
        src.verify(1);
        src.verify(2);
        for (Process p : readers) {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
        }
    }

    @Test
    void unmountEndsEveryWorker() throws Exception {
        Torrent t = TestTorrents.singleFile("f.bin", 4L * MIB, MIB);
        mount = FuseTestSupport.mount(FakePieceSource.complete(t), ReaderConfig.defaults(), mnt);
        assertThat(Files.readAllBytes(mnt.resolve("f.bin"))).isEqualTo(TestTorrents.bytes(0, 4 * MIB));
        assertThat(workers()).isPositive();
        mount.unmount();
        assertThat(mount.exited()).isCompleted();
        assertThat(MountTable.isMounted(mnt)).isFalse();
        TorrentFsMountTest.waitUntil(() -> workers() == 0);
    }

    @Test
    void anOptionLibfuseRefusesIsAOneLineMountError() throws Exception {
        Torrent t = TestTorrents.singleFile("f.bin", MIB, MIB);
        Files.createDirectories(mnt);
        TorrentFs fs = new TorrentFs(new TorrentReader(FakePieceSource.complete(t), ReaderConfig.defaults()));
        assertThatThrownBy(() -> FuseMount.mount(fs, mnt, List.of("no_such_fuse_option")))
                .isInstanceOf(MountException.class)
                .hasMessageContaining("libfuse could not mount")
                .hasMessageNotContaining("\n");
        assertThat(MountTable.isMounted(mnt)).isFalse();
    }

    /** Live threads of this test's mount's workers. */
    private long workers() {
        String prefix = FuseLoop.workerPrefix(mnt.toAbsolutePath().normalize());
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(th -> th.getName().startsWith(prefix))
                .count();
    }
}
