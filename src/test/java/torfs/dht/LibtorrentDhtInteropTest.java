package torfs.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Our node among python3-libtorrent DHT nodes, all inside a loopback-only network namespace. */
class LibtorrentDhtInteropTest {
    private static final Path SCRIPT = Path.of("native-test/dht/libtorrent-dht-interop.sh");

    @Test
    @Timeout(600)
    void bootstrapsFindsAndIsFoundByLibtorrent() throws Exception {
        assumeTrue(hasLibtorrent(), "python3-libtorrent is not installed");
        assumeTrue(canUnshareNetwork(), "cannot create a network namespace (needs root)");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = Files.createTempFile("torfs-lt-dht", ".log");
        Process p = new ProcessBuilder("bash", SCRIPT.toString(), java, System.getProperty("java.class.path"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            boolean exited = p.waitFor(540, TimeUnit.SECONDS);
            String out = Files.readString(log, StandardCharsets.UTF_8);
            System.out.println(out.lines().filter(l -> !l.startsWith("LT_FOUND")).reduce("", (a, b) -> a + b + "\n"));
            assertThat(exited).as("script timed out:\n%s", out).isTrue();
            assertThat(p.exitValue()).as("script output:\n%s", out).isZero();
            assertThat(out).contains("ok routing table").contains("ok found libtorrent's peer")
                    .contains("ok libtorrent found our peer").contains("OK libtorrent DHT interop");
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
        if (!new File(command[0]).isAbsolute() && command[0].equals("/usr/bin/python3") && !new File(command[0]).canExecute()) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
