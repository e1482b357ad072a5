package torfs.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** HTTP and UDP announces against the real opentracker, all inside a loopback-only namespace. */
class OpentrackerInteropTest {
    private static final Path SCRIPT = Path.of("native-test/tracker/opentracker-interop.sh");

    @Test
    @Timeout(180)
    void twoPeersSeeEachOtherOverHttpAndUdp() throws Exception {
        assumeTrue(new File("/usr/bin/opentracker").canExecute(), "opentracker is not installed");
        assumeTrue(canUnshareNetwork(), "cannot create a network namespace (needs root)");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = Files.createTempFile("torfs-opentracker", ".log");
        Process p = new ProcessBuilder("bash", SCRIPT.toString(), java, System.getProperty("java.class.path"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            boolean exited = p.waitFor(150, TimeUnit.SECONDS);
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(exited).as("script timed out:\n%s", out).isTrue();
            assertThat(p.exitValue()).as("script output:\n%s", out).isZero();
            assertThat(out).contains("ok http://127.0.0.1:6969/announce peers")
                    .contains("ok udp://127.0.0.1:6969/announce peers")
                    .contains("OK opentracker interop");
        } finally {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            Files.deleteIfExists(log);
        }
    }

    private static boolean canUnshareNetwork() {
        try {
            Process p = new ProcessBuilder("unshare", "--net", "--fork", "true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
