package torfs.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static torfs.fuse.FuseTestSupport.sh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import torfs.metainfo.Torrent;
import torfs.stream.FakePieceSource;
import torfs.stream.ReaderConfig;
import torfs.stream.TestTorrents;

@Timeout(120)
class TorrentFsMountTest extends RealMountTest {
    private static final int MIB = 1 << 20;
    private static ReaderConfig config() {
        return ReaderConfig.defaults().withReadTimeout(Duration.ofSeconds(30));
    }

    private static Torrent album() {
        return TestTorrents.multiFile("Album ☃ é", 16 * 1024, new TestTorrents.Files()
                .file("cd1/01 Ünïcødé.flac", 70_000)
                .pad(1_000)
                .executable("bin/run.sh", 5_000)
                .file("cd1/02.flac", 40_000)
                .file("empty", 0)
                .symlink("cd2/link.flac", "cd1/02.flac")
                .file("readme.txt", 123).list());
    }

    @Test
    void multiFileTreeShowsFilesModesSymlinksAndContent() throws Exception {
        Torrent t = album();
        FakePieceSource src = FakePieceSource.complete(t);
        mount = FuseTestSupport.mount(src, config(), mnt);
        Path top = mnt.resolve("Album ☃ é");
        try (Stream<Path> s = Files.list(mnt)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("Album ☃ é");
        }
        try (Stream<Path> s = Files.walk(top)) {
            assertThat(s.map(p -> top.relativize(p).toString()).filter(x -> !x.isEmpty()).sorted()
                    .collect(Collectors.toList())).containsExactly("bin", "bin/run.sh", "cd1",
                    "cd1/01 Ünïcødé.flac", "cd1/02.flac", "cd2", "cd2/link.flac", "empty", "readme.txt");
        }
        var stat = sh("cd '" + top + "' && stat -c '%n %a %s %F' 'cd1/01 Ünïcødé.flac' bin/run.sh cd1 empty cd2/link.flac");
        assertThat(stat.out().lines().toList()).containsExactly(
                "cd1/01 Ünïcødé.flac 444 70000 regular file",
                "bin/run.sh 555 5000 regular file",
                "cd1 555 4096 directory",
                "empty 444 0 regular empty file",
                "cd2/link.flac 777 14 symbolic link");
        assertThat(Files.readSymbolicLink(top.resolve("cd2/link.flac")).toString()).isEqualTo("../cd1/02.flac");
        long off02 = 70_000 + 1_000 + 5_000;
        assertThat(Files.readAllBytes(top.resolve("cd2/link.flac"))).isEqualTo(TestTorrents.bytes(off02, 40_000));
        assertThat(Files.readAllBytes(top.resolve("cd1/01 Ünïcødé.flac"))).isEqualTo(TestTorrents.bytes(0, 70_000));
        assertThat(Files.readAllBytes(top.resolve("readme.txt"))).isEqualTo(TestTorrents.bytes(off02 + 40_000, 123));
        assertThat(Files.readAllBytes(top.resolve("empty"))).isEmpty();
        // the executable file reads like any other (this once ran `... ; echo done`, which passed whatever cat did)
        var cat = sh("cat '" + top + "/bin/run.sh' | cmp - '" + writeTemp(TestTorrents.bytes(70_000 + 1_000, 5_000)) + "'");
        assertThat(cat.exit()).as(cat.out() + cat.err()).isZero();
        // every open was released: no handle, and no readahead wish, outlives its file's close
        waitUntil(() -> mount.fs().openHandles() == 0);
        assertThat(src.wishes()).isEmpty();
        var mountinfo = MountTable.find(mnt).orElseThrow();
        assertThat(mountinfo.fsType()).isEqualTo("fuse.torfs");
        assertThat(mountinfo.source()).isEqualTo("torfs");
    }

    @Test
    void fiveGiBFileReadsPast4GiBWithDdAndCorrectSize() throws Exception {
        long size = 5L << 30;
        Torrent t = TestTorrents.singleFile("big.bin", size, 4 * MIB);
        FakePieceSource src = FakePieceSource.complete(t);
        mount = FuseTestSupport.mount(src, config(), mnt);
        Path f = mnt.resolve("big.bin");
        assertThat(Files.size(f)).isEqualTo(size);
        long at = (4L << 30) + 4 * MIB - 12_345; // past 2^32, straddling two pieces
        Path out = tmp.resolve("out");
        var dd = sh("dd if='" + f + "' of='" + out + "' bs=64k iflag=skip_bytes,count_bytes skip=" + at
                + " count=100000 status=none");
        assertThat(dd.exit()).as(dd.err()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(TestTorrents.bytes(at, 100_000));
        var tail = sh("tail -c 1000 '" + f + "' > '" + out + "'");
        assertThat(tail.exit()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(TestTorrents.bytes(size - 1000, 1000));
    }

    @Test
    void progressShowsInBlocksXattrsAndStatfs() throws Exception {
        Torrent t = TestTorrents.singleFile("f.bin", 4L * MIB, MIB);
        FakePieceSource src = new FakePieceSource(t);
        src.verify(0);
        src.verify(1);
        mount = FuseTestSupport.mount(src, config(), mnt);
        Path f = mnt.resolve("f.bin");
        var attrs = sh("getfattr -d --absolute-names '" + f + "'");
        assertThat(attrs.out()).contains("user.torfs.progress=\"2097152/4194304\"",
                "user.torfs.pieces=\"0-3\"", "user.torfs.infohash=\"" + t.infoHash().hex() + "\"");
        var one = sh("getfattr --only-values -n user.torfs.progress '" + f + "'");
        assertThat(one.out()).isEqualTo("2097152/4194304");
        var root = sh("getfattr --only-values -n user.torfs.infohash '" + mnt + "'");
        assertThat(root.out()).isEqualTo(t.infoHash().hex());
        assertThat(sh("getfattr -n user.nope '" + f + "'").exit()).isNotZero();
        assertThat(sh("stat -c %b '" + f + "'").out().trim()).isEqualTo("4096");
        assertThat(sh("du -k '" + f + "'").out()).startsWith("2048");
        assertThat(sh("stat -f -c '%S %b %f %a' '" + mnt + "'").out().trim()).isEqualTo("4096 1024 512 512");
        src.verify(2);
        Thread.sleep(1100); // the kernel caches attributes for a second
        assertThat(sh("stat -c %b '" + f + "'").out().trim()).isEqualTo("6144");
    }

    @Test
    void aDirectorysProgressSumsTheFilesBelowItAndForeignXattrNamespacesAreUnsupported() throws Exception {
        Torrent t = TestTorrents.multiFile("top", MIB, new TestTorrents.Files()
                .file("a/one.bin", MIB).file("a/b/two.bin", MIB).file("three.bin", 2 * MIB)
                .symlink("a/link", "three.bin").list());
        FakePieceSource src = new FakePieceSource(t);
        src.verify(1); // a/b/two.bin
        src.verify(3); // the second half of three.bin
        mount = FuseTestSupport.mount(src, config(), mnt);
        assertThat(sh("getfattr --only-values -n user.torfs.progress '" + mnt.resolve("top/a") + "'").out())
                .isEqualTo("1048576/2097152");
        assertThat(sh("getfattr --only-values -n user.torfs.progress '" + mnt.resolve("top") + "'").out())
                .isEqualTo("2097152/4194304");
        assertThat(sh("getfattr --only-values -n user.torfs.pieces '" + mnt.resolve("top/a/b") + "'").out())
                .isEqualTo("1-1");
        assertThat(sh("readlink '" + mnt.resolve("top/a/link") + "'").out().trim()).isEqualTo("../three.bin");
        var selinux = sh("getfattr -n security.selinux '" + mnt.resolve("top/a/one.bin") + "'");
        assertThat(selinux.exit()).isNotZero();
        assertThat(selinux.err()).contains("Operation not supported");
        var acl = sh("getfattr -n system.posix_acl_access '" + mnt.resolve("top/a/one.bin") + "'");
        assertThat(acl.err()).contains("Operation not supported");
        var unknown = sh("getfattr -n user.other '" + mnt.resolve("top/a/one.bin") + "'");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("No such attribute");
    }

    @Test
    void writesFailWithReadOnlyFileSystem() throws Exception {
        Torrent t = album();
        mount = FuseTestSupport.mount(FakePieceSource.complete(t), config(), mnt);
        Path top = mnt.resolve("Album ☃ é");
        var touch = sh("touch '" + top + "/new'");
        assertThat(touch.exit()).isNotZero();
        assertThat(touch.err()).contains("Read-only file system");
        var write = sh("echo x >> '" + top + "/readme.txt'");
        assertThat(write.err()).contains("Read-only file system");
        var mkdir = sh("mkdir '" + top + "/d'");
        assertThat(mkdir.err()).contains("Read-only file system");
        var rm = sh("rm -f '" + top + "/readme.txt'");
        assertThat(rm.err()).contains("Read-only file system");
        assertThat(Files.exists(top.resolve("readme.txt"))).isTrue();
    }

    @Test
    void accessAnswersFromTheModes() throws Exception {
        mount = FuseTestSupport.mount(FakePieceSource.complete(album()), config(), mnt);
        Path top = mnt.resolve("Album ☃ é");
        // find -executable asks access(X_OK); before access was answered every file passed
        var exec = sh("cd '" + top + "' && find . -type f -executable");
        assertThat(exec.out().lines().toList()).containsExactly("./bin/run.sh");
        var tests = sh("cd '" + top + "' && for f in readme.txt bin/run.sh cd1 cd2/link.flac missing; do"
                + " echo \"$f $(test -r $f && echo r)$(test -w $f && echo w)$(test -x $f && echo x)\"; done");
        assertThat(tests.out().lines().toList()).containsExactly(
                "readme.txt r", "bin/run.sh rx", "cd1 rx", "cd2/link.flac r", "missing ");
    }

    @Test
    void anUncappedMountKeepsAFilesPagesAcrossOpens() throws Exception {
        assertThat(readsOfTheFirstPieceByTwoOpens(false)).as("the second open's read").isZero();
    }

    @Test
    void aCappedMountsEveryOpenReadsThroughTheCache() throws Exception {
        assertThat(readsOfTheFirstPieceByTwoOpens(true)).as("the second open's read").isPositive();
    }

    /** Reads 64 KiB twice, each in its own open; returns the store reads of the second one. */
    private int readsOfTheFirstPieceByTwoOpens(boolean capped) throws Exception {
        Torrent t = TestTorrents.singleFile("f.bin", 4L * MIB, MIB);
        FakePieceSource src = FakePieceSource.complete(t);
        mount = FuseTestSupport.mount(src, config(), mnt, capped);
        String dd = "dd if='" + mnt + "/f.bin' of=/dev/null bs=64k count=1 status=none";
        assertThat(sh(dd).exit()).isZero();
        int first = src.storeReads(0);
        assertThat(first).isPositive();
        assertThat(sh(dd).exit()).isZero();
        return src.storeReads(0) - first;
    }

    @Test
    void readTimeoutGivesInputOutputError() throws Exception {
        Torrent t = TestTorrents.singleFile("f.bin", 4L * MIB, MIB);
        FakePieceSource src = new FakePieceSource(t);
        mount = FuseTestSupport.mount(src, ReaderConfig.defaults().withReadTimeout(Duration.ofMillis(500)), mnt);
        var dd = sh("dd if='" + mnt + "/f.bin' of=/dev/null bs=64k count=1");
        assertThat(dd.exit()).isNotZero();
        assertThat(dd.err()).contains("Input/output error");
        src.verify(0);
        var ok = sh("dd if='" + mnt + "/f.bin' of=/dev/null bs=64k count=1 status=none");
        assertThat(ok.exit()).as(ok.err()).isZero();
    }

    @Test
    void readBlockedOnMissingPieceCompletesWhenPieceArrives() throws Exception {
        Torrent t = TestTorrents.singleFile("f.bin", 4L * MIB, MIB);
        FakePieceSource src = new FakePieceSource(t).serveNowAfter(300);
        mount = FuseTestSupport.mount(src, config(), mnt);
        assertThat(Files.readAllBytes(mnt.resolve("f.bin"))).isEqualTo(TestTorrents.bytes(0, 4 * MIB));
    }

    @Test
    void unmountReleasesBlockedReadWithEio() throws Exception {
        Torrent t = TestTorrents.singleFile("f.bin", 4L * MIB, MIB);
        FakePieceSource src = new FakePieceSource(t);
        mount = FuseTestSupport.mount(src, config(), mnt);
        Process dd = new ProcessBuilder("dd", "if=" + mnt + "/f.bin", "of=/dev/null", "bs=64k", "count=1")
                .redirectErrorStream(true).start();
        waitUntil(() -> !src.wishes().isEmpty());
        mount.unmount();
        assertThat(dd.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(dd.exitValue()).isNotZero();
        assertThat(new String(dd.getInputStream().readAllBytes())).contains("Input/output error");
        assertThat(mount.exited()).isDone();
        assertThat(MountTable.isMounted(mnt)).isFalse();
    }

    @Test
    void lazyUnmountByOutsiderReleasesBlockedReadAndEndsLoop() throws Exception {
        Torrent t = TestTorrents.singleFile("f.bin", 4L * MIB, MIB);
        FakePieceSource src = new FakePieceSource(t);
        mount = FuseTestSupport.mount(src, config(), mnt);
        Process dd = new ProcessBuilder("dd", "if=" + mnt + "/f.bin", "of=/dev/null", "bs=64k", "count=1")
                .redirectErrorStream(true).start();
        waitUntil(() -> !src.wishes().isEmpty());
        var plain = sh("fusermount -u '" + mnt + "'");
        assertThat(plain.exit()).as("busy mount").isNotZero();
        assertThat(sh("fusermount -u -z '" + mnt + "'").exit()).isZero();
        assertThat(dd.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(dd.exitValue()).isNotZero();
        assertThat(mount.awaitExit(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void mountPointProblemsAreOneLineErrorsAndMountNothing() throws Exception {
        Torrent t = album();
        FakePieceSource src = FakePieceSource.complete(t);
        assertThatThrownBy(() -> FuseMount.check(tmp.resolve("missing")))
                .isInstanceOf(MountException.class).hasMessageContaining("does not exist");
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThatThrownBy(() -> FuseMount.check(file)).hasMessageContaining("not a directory");
        Path full = Files.createDirectories(tmp.resolve("full"));
        Files.writeString(full.resolve("x"), "x");
        assertThatThrownBy(() -> FuseMount.check(full)).hasMessageContaining("not empty");
        mount = FuseTestSupport.mount(src, config(), mnt);
        assertThatThrownBy(() -> FuseTestSupport.mount(FakePieceSource.complete(t), config(), mnt))
                .isInstanceOf(MountException.class).hasMessageContaining("already mounted");
        assertThat(MountTable.entries().stream().filter(e -> e.mountPoint().equals(MountTable.key(mnt))).count())
                .isEqualTo(1);
    }

    private Path writeTemp(byte[] bytes) throws java.io.IOException {
        return Files.write(Files.createTempFile(tmp, "expected", ".bin"), bytes);
    }

    static void waitUntil(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not reached");
            }
            Thread.sleep(10);
        }
    }

}
