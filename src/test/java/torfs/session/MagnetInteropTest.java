package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ut_metadata both ways with the real python3-libtorrent 2.0.8, inside a loopback-only
 * namespace (native-test/magnet/magnet-interop.sh).
 */
class MagnetInteropTest {
    private static final Path SCRIPT = Path.of("native-test/magnet/magnet-interop.sh");

    @Test
    @Timeout(240)
    void metadataTravelsBothWaysBetweenTorfsAndLibtorrent() throws Exception {
        assumeTrue(hasLibtorrent(), "python3-libtorrent is not installed");
        assumeTrue(canUnshareNetwork(), "cannot create a network namespace (needs root)");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = Files.createTempFile("torfs-magnet", ".log");
        Process p = new ProcessBuilder("bash", SCRIPT.toString(), java, System.getProperty("java.class.path"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            boolean exited = p.waitFor(200, TimeUnit.SECONDS);
            String out = Files.readString(log, StandardCharsets.UTF_8);
            System.out.println(out);
            assertThat(exited).as("script timed out:\n%s", out).isTrue();
            assertThat(p.exitValue()).as("script output:\n%s", out).isZero();
            assertThat(out).contains("ok fetched metadata from libtorrent: ")
                    .contains("clip.bin")
                    .contains("ok libtorrent got metadata: movie.bin ")
                    .contains("OK magnet interop");
        } finally {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            Files.deleteIfExists(log);
        }
    }

    private static boolean hasLibtorrent() {
        return run("/usr/bin/python3", "-c", "import libtorrent");
    }

    private static boolean canUnshareNetwork() {
        return run("unshare", "--net", "--fork", "true");
    }

    private static boolean run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
