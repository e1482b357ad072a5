package torfs.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static torfs.fuse.FuseTestSupport.sh;

import java.nio.file.Files;
import java.nio.file.Path;
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
    void aBurstOfLookupsIsServedAndTheWorkersThenSleep() throws Exception {
        TestTorrents.Files files = new TestTorrents.Files();
        for (int i = 0; i < 2_000; i++) {
            files.file(String.format("d%d/f%04d", i % 10, i), 1 + i);
        }
        Torrent t = TestTorrents.multiFile("top", MIB, files.list());
        mount = FuseTestSupport.mount(FakePieceSource.complete(t), ReaderConfig.defaults(), mnt);
        // the leader answers the LOOKUPs itself and reads the next one while still awake
        String sizes = sh("stat -c %s '" + mnt.resolve("top") + "'/d*/f*").out();
        assertThat(sizes.lines().mapToLong(Long::parseLong).sum()).isEqualTo(2_000L * 2_001 / 2);
        // after the burst nobody keeps spinning on /dev/fuse: every worker sleeps
        TorrentFsMountTest.waitUntil(() -> {
            List<String> states = workerStates();
            return !states.isEmpty() && states.stream().allMatch(st -> st.equals("S"));
        });
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

    /** The kernel's scheduling state (R, S, ...) of every FUSE worker thread of this JVM. */
    private static List<String> workerStates() {
        List<String> states = new ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    // comm is the thread's name cut to 15 bytes: "torfs-fuse /tmp"
                    if (Files.readString(task.resolve("comm")).startsWith("torfs-fuse")) {
                        String stat = Files.readString(task.resolve("stat"));
                        states.add(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[0]);
                    }
                } catch (java.io.IOException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return states;
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
