package torfs.fuse;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import torfs.stream.FakePieceSource;
import torfs.stream.ReaderConfig;
import torfs.stream.TorrentReader;

/** Real FUSE mounts of fake sources for tests, and shell commands against them. */
public final class FuseTestSupport {
    private FuseTestSupport() {
    }

    public record Result(int exit, String out, String err) {
    }

    public static void assumeFuse() {
        assumeTrue(Files.exists(Path.of("/dev/fuse")), "/dev/fuse missing");
        assumeTrue(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libfuse.so.2"))
                || Files.exists(Path.of("/lib/x86_64-linux-gnu/libfuse.so.2"))
                || Files.exists(Path.of("/usr/lib/libfuse.so.2")), "libfuse.so.2 missing");
    }

    public static FuseMount mount(FakePieceSource src, ReaderConfig config, Path mnt) throws IOException {
        return mount(src, config, mnt, false);
    }

    /** As above; {@code capped} as a mount with --cache-size. */
    public static FuseMount mount(FakePieceSource src, ReaderConfig config, Path mnt, boolean capped)
            throws IOException {
        Files.createDirectories(mnt);
        return FuseMount.mount(new TorrentFs(new TorrentReader(src, config), capped), mnt, List.of());
    }

    /** Unmounts for @AfterEach, falling back to a lazy fusermount. */
    public static void cleanup(FuseMount m, Path mnt) {
        if (m != null) {
            m.unmount();
        }
        if (mnt != null && (MountTable.isMounted(mnt) || MountTable.isStale(mnt))) {
            MountTable.fusermount(mnt, "-u", "-z");
        }
    }

    public static Result sh(String script) throws IOException, InterruptedException {
        return run(List.of("bash", "-c", script));
    }

    public static Result run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        var out = p.getInputStream();
        var err = p.getErrorStream();
        var errText = new java.util.concurrent.CompletableFuture<String>();
        Thread t = new Thread(() -> {
            try {
                errText.complete(new String(err.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                errText.complete("");
            }
        });
        t.start();
        String o = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("command hung: " + cmd);
        }
        t.join();
        return new Result(p.exitValue(), o, errText.join());
    }
}
