package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ut_pex against the real python3-libtorrent 2.0, inside a loopback-only namespace: given one
 * seeder, we learn the other from its ut_pex and connect to it. libtorrent's first ut_pex
 * message comes about a minute after the connection, so this is our one slow PEX test.
 */
class LibtorrentPexInteropTest {
    private static final Path SCRIPT = Path.of("native-test/pex/libtorrent-pex-interop.sh");

    @Test
    @Timeout(240)
    void weLearnASecondSeederFromLibtorrentsPexAndConnect() throws Exception {
        assumeTrue(pythonHasLibtorrent(), "python3-libtorrent is not installed");
        assumeTrue(canUnshareNetwork(), "cannot create a network namespace (needs root)");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = Files.createTempFile("torfs-lt-pex", ".log");
        Process p = new ProcessBuilder("bash", SCRIPT.toString(), java, System.getProperty("java.class.path"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            boolean exited = p.waitFor(220, TimeUnit.SECONDS);
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(exited).as("script timed out:\n%s", out).isTrue();
            assertThat(p.exitValue()).as("script output:\n%s", out).isZero();
            assertThat(out).contains("connected to 127.0.0.3:16883").contains("OK libtorrent pex interop");
        } finally {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            Files.deleteIfExists(log);
        }
    }

    private static boolean pythonHasLibtorrent() {
        return new File("/usr/bin/python3").canExecute() && succeeds("/usr/bin/python3", "-c", "import libtorrent");
    }

    private static boolean canUnshareNetwork() {
        return succeeds("unshare", "--net", "--fork", "true");
    }

    private static boolean succeeds(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
