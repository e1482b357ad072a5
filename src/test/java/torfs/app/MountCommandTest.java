package torfs.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import torfs.fuse.FuseTestSupport;
import torfs.fuse.MountTable;
import torfs.stream.TestTorrents;

/** `torfs mount` / `torfs unmount` as a user runs them: separate JVMs, a real FUSE mount. */
@Timeout(180)
class MountCommandTest {
    private static final int MIB = 1 << 20;
    @TempDir
    Path tmp;
    Path mnt;
    Path data;
    Path spec;
    final List<Process> started = new ArrayList<>();

    record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void setUp() throws IOException {
        FuseTestSupport.assumeFuse();
        mnt = Files.createDirectories(tmp.resolve("mnt"));
        data = tmp.resolve("data");
        spec = FakeSourceFactory.writeSpec(tmp.resolve("t.spec"), "file.bin", 4L * MIB, MIB, true);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (MountTable.isMounted(mnt) || MountTable.isStale(mnt)) {
            MountTable.fusermount(mnt, "-u", "-z");
        }
        for (Process p : started) {
            p.destroyForcibly();
        }
        daemonPid().ifPresent(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    private List<String> torfsCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + SourceFactory.PROPERTY + "=" + FakeSourceFactory.class.getName(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private Run torfs(Map<String, String> env, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(torfsCommand(args));
        pb.environment().putAll(env);
        Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        var err = new java.util.concurrent.CompletableFuture<String>();
        new Thread(() -> {
            try {
                err.complete(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                err.complete("");
            }
        }).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("torfs " + String.join(" ", args) + " returned").isTrue();
        return new Run(p.exitValue(), out, err.get(10, TimeUnit.SECONDS));
    }

    private Run torfs(String... args) throws Exception {
        return torfs(Map.of(), args);
    }

    private Process foreground() throws IOException {
        Process p = new ProcessBuilder(torfsCommand("mount", spec.toString(), mnt.toString(), "--data",
                data.toString(), "-f")).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("fg.log").toFile()).start();
        started.add(p);
        return p;
    }

    private java.util.Optional<Long> daemonPid() {
        try {
            return java.util.Optional.of(Long.parseLong(Files.readString(data.resolve(ForegroundMount.PID_FILE)).trim()));
        } catch (IOException | NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier cond, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void badInputIsOneLineAndExit2AndMountsNothing() throws Exception {
        Run magnet = torfs("mount", "magnet:?xt=urn:btih:0123456789abcdef", mnt.toString());
        assertThat(magnet.exit()).isEqualTo(2);
        assertThat(magnet.err()).isEqualTo("torfs: magnet info-hash has 16 characters; expected 40 hex or 32 base32\n");

        Run missing = torfs("mount", spec.toString(), tmp.resolve("nope").toString(), "--data", data.toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).endsWith(": mount point does not exist\n").hasLineCount(1);

        Path full = Files.createDirectories(tmp.resolve("full"));
        Files.writeString(full.resolve("x"), "x");
        Run notEmpty = torfs("mount", spec.toString(), full.toString(), "--data", data.toString());
        assertThat(notEmpty.exit()).isEqualTo(2);
        assertThat(notEmpty.err()).endsWith(": mount point is not empty\n").hasLineCount(1);

        // -o takes FUSE's options only; libfuse used to print its own line before ours
        Run fstabStyle = torfs("mount", spec.toString(), mnt.toString(), "-o", "allow_other,data=/srv/x");
        assertThat(fstabStyle.exit()).isEqualTo(2);
        assertThat(fstabStyle.err()).isEqualTo("torfs: -o data=/srv/x: not a FUSE option; on the command line it is"
                + " --data /srv/x (the -o form is for fstab and mount -t fuse.torfs)\n");
        Run unknown = torfs("mount", spec.toString(), mnt.toString(), "-o", "frobnicate");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("torfs: -o frobnicate: not a FUSE option\n");

        // a data directory below the mount point is refused before it is made
        Run inside = torfs("mount", spec.toString(), mnt.toString(), "--data", mnt.resolve("d").toString());
        assertThat(inside.exit()).isEqualTo(2);
        assertThat(inside.err()).isEqualTo("torfs: --data " + mnt.toAbsolutePath().normalize().resolve("d")
                + " is inside the mount point " + mnt.toAbsolutePath().normalize() + ", which would hide it\n");
        try (var left = Files.list(mnt)) {
            assertThat(left).isEmpty();
        }
        Run watchInside = torfs("mount", "--watch", mnt.resolve("w").toString(), mnt.toString(), "--data", data.toString());
        assertThat(watchInside.exit()).isEqualTo(2);
        assertThat(watchInside.err()).contains("--watch ").endsWith(", which would hide it\n").hasLineCount(1);

        Run noTorrent = torfs("mount", tmp.resolve("none.torrent").toString(), mnt.toString());
        assertThat(noTorrent.exit()).isEqualTo(2);
        assertThat(noTorrent.err()).hasLineCount(1).startsWith("torfs: ");

        Run folder = torfs("mount", full.toString(), mnt.toString());
        assertThat(folder.exit()).isEqualTo(2);
        assertThat(folder.err()).hasLineCount(1)
                .isEqualTo("torfs: " + full + ": a directory, not a .torrent file (to serve the .torrent files in it:"
                        + " --watch " + full + ")\n");

        Run notMounted = torfs("unmount", mnt.toString());
        assertThat(notMounted.exit()).isEqualTo(2);
        assertThat(notMounted.err()).endsWith(": not mounted\n");
        assertThat(MountTable.isMounted(mnt)).isFalse();
        assertThat(MountTable.isMounted(full)).isFalse();
    }

    @Test
    void backgroundMountServesFilesUntilTorfsUnmountThenExitsCleanly() throws Exception {
        Run mount = torfs("mount", spec.toString(), mnt.toString(), "--data", data.toString());
        assertThat(mount.exit()).as(mount.err()).isZero();
        assertThat(mount.err()).isEmpty();
        assertThat(MountTable.find(mnt).orElseThrow().fsType()).isEqualTo("fuse.torfs");
        assertThat(Files.readAllBytes(mnt.resolve("file.bin"))).isEqualTo(TestTorrents.bytes(0, 4 * MIB));
        long pid = daemonPid().orElseThrow();
        ProcessHandle daemon = ProcessHandle.of(pid).orElseThrow();

        Run again = torfs("mount", spec.toString(), mnt.toString(), "--data", data.toString());
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("already mounted");

        Run unmount = torfs("unmount", mnt.toString());
        assertThat(unmount.exit()).as(unmount.err()).isZero();
        daemon.onExit().get(30, TimeUnit.SECONDS);
        assertThat(MountTable.isMounted(mnt)).isFalse();
        assertThat(data.resolve(FakeSourceFactory.CLOSED_MARKER)).exists();
        assertThat(Files.readString(data.resolve(MountDaemon.LOG_FILE))).contains("unmounted " + mnt);
        assertThat(data.resolve(ForegroundMount.PID_FILE)).doesNotExist();
    }

    private Path specWith(String extra) throws IOException {
        Path s = FakeSourceFactory.writeSpec(tmp.resolve("slow.spec"), "file.bin", 4L * MIB, MIB, true);
        Files.writeString(s, extra, java.nio.file.StandardOpenOption.APPEND);
        return s;
    }

    @Test
    void sessionThatFailsToStartAfterTheMountIsOneLineExit2AndLeavesNothingMounted() throws Exception {
        // the start fails after libfuse mounted (the two run side by side)
        Path failing = specWith("openFails=127.0.0.1\\:6881\\: port in use\nopenDelayMs=2500\n");
        Run mount = torfs("mount", failing.toString(), mnt.toString(), "--data", data.toString());
        assertThat(mount.exit()).isEqualTo(2);
        assertThat(mount.err()).isEqualTo("torfs: 127.0.0.1:6881: port in use\n");
        assertThat(MountTable.isMounted(mnt)).isFalse();
        assertThat(MountTable.isStale(mnt)).isFalse();
        assertThat(data.resolve(ForegroundMount.PID_FILE)).doesNotExist();

        Run fg = torfs("mount", failing.toString(), mnt.toString(), "--data", data.toString(), "-f");
        assertThat(fg.exit()).isEqualTo(2);
        assertThat(fg.err()).isEqualTo("torfs: 127.0.0.1:6881: port in use\n");
        assertThat(MountTable.isMounted(mnt)).isFalse();
    }

    @Test
    void aReadWhileTheSessionStartsWaitsForIt() throws Exception {
        spec = specWith("openDelayMs=3000\n");
        Process p = foreground();
        waitUntil(() -> MountTable.isMounted(mnt) || !p.isAlive(), "mount");
        assertThat(data.resolve(FakeSourceFactory.CLOSED_MARKER)).doesNotExist();
        assertThat(Files.readAllBytes(mnt.resolve("file.bin"))).isEqualTo(TestTorrents.bytes(0, 4 * MIB));
        assertThat(FuseTestSupport.sh("fusermount -u '" + mnt + "'").exit()).isZero();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(tmp.resolve("fg.log"))).isZero();
        assertThat(data.resolve(FakeSourceFactory.CLOSED_MARKER)).exists();
    }

    @Test
    void fusermountEndsTheForegroundProcessWithExit0() throws Exception {
        Process p = foreground();
        waitUntil(() -> MountTable.isMounted(mnt) || !p.isAlive(), "mount");
        assertThat(FuseTestSupport.sh("fusermount -u '" + mnt + "'").exit()).isZero();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(tmp.resolve("fg.log"))).isZero();
        assertThat(data.resolve(FakeSourceFactory.CLOSED_MARKER)).exists();
    }

    @Test
    void sigtermUnmountsAndClosesTheSource() throws Exception {
        Process p = foreground();
        waitUntil(() -> MountTable.isMounted(mnt) || !p.isAlive(), "mount");
        p.destroy();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(MountTable.isMounted(mnt)).isFalse();
        assertThat(MountTable.isStale(mnt)).isFalse();
        assertThat(data.resolve(FakeSourceFactory.CLOSED_MARKER)).exists();
    }

    @Test
    void staleMountAfterKill9IsClearedByMountAndByUnmount() throws Exception {
        Process p = foreground();
        waitUntil(() -> MountTable.isMounted(mnt) || !p.isAlive(), "mount");
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        waitUntil(() -> MountTable.isStale(mnt), "stale mount");

        Run mount = torfs("mount", spec.toString(), mnt.toString(), "--data", data.toString());
        assertThat(mount.exit()).as(mount.err()).isZero();
        assertThat(Files.readAllBytes(mnt.resolve("file.bin"))).hasSize(4 * MIB);

        long pid = daemonPid().orElseThrow();
        FuseTestSupport.sh("kill -9 " + pid);
        waitUntil(() -> MountTable.isStale(mnt), "stale mount again");
        Run unmount = torfs("unmount", mnt.toString());
        assertThat(unmount.exit()).as(unmount.err()).isZero();
        assertThat(MountTable.isStale(mnt)).isFalse();
        assertThat(MountTable.isMounted(mnt)).isFalse();
    }

    @Test
    void torfsUnmountReleasesABlockedReadWithEio() throws Exception {
        FakeSourceFactory.writeSpec(spec, "file.bin", 4L * MIB, MIB, false);
        Run mount = torfs("mount", spec.toString(), mnt.toString(), "--data", data.toString());
        assertThat(mount.exit()).as(mount.err()).isZero();
        ProcessHandle daemon = ProcessHandle.of(daemonPid().orElseThrow()).orElseThrow();
        Process dd = new ProcessBuilder("dd", "if=" + mnt + "/file.bin", "of=/dev/null", "bs=64k", "count=1")
                .redirectErrorStream(true).start();
        started.add(dd);
        Thread.sleep(1000);
        assertThat(dd.isAlive()).as("read blocks on a missing piece").isTrue();
        Run unmount = torfs("unmount", mnt.toString());
        assertThat(unmount.exit()).as(unmount.err()).isZero();
        assertThat(dd.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(dd.exitValue()).isNotZero();
        assertThat(new String(dd.getInputStream().readAllBytes())).contains("Input/output error");
        daemon.onExit().get(30, TimeUnit.SECONDS);
        assertThat(MountTable.isMounted(mnt)).isFalse();
        assertThat(data.resolve(FakeSourceFactory.CLOSED_MARKER)).exists();
    }

    @Test
    void utf8NamesSurviveACLocale() throws Exception {
        FakeSourceFactory.writeSpec(spec, "Ünïcødé ☃ файл.bin", 100_000, 16 * 1024, true);
        Run mount = torfs(Map.of("LC_ALL", "C", "LANG", "C"), "mount", spec.toString(), mnt.toString(),
                "--data", data.toString());
        assertThat(mount.exit()).as(mount.err()).isZero();
        try (Stream<Path> s = Files.list(mnt)) {
            assertThat(s.map(x -> x.getFileName().toString()).toList()).containsExactly("Ünïcødé ☃ файл.bin");
        }
        assertThat(Files.readAllBytes(mnt.resolve("Ünïcødé ☃ файл.bin"))).isEqualTo(TestTorrents.bytes(0, 100_000));
        assertThat(torfs("unmount", mnt.toString()).exit()).isZero();
    }
}
