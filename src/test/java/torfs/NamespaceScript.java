package torfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a native-test script that moves itself into a loopback-only network namespace, as
 * {@code bash SCRIPT JAVA CLASSPATH} with this JVM and the test classpath. The interop tests
 * against third-party programs (libtorrent, opentracker) share it; each keeps its own
 * expectations of the output.
 */
public final class NamespaceScript {
    private NamespaceScript() {
    }

    /** Skips the test unless we may create a network namespace (root). */
    public static void assumeNetworkNamespace() {
        assumeTrue(succeeds("unshare", "--net", "--fork", "true"),
                "cannot create a network namespace (needs root)");
    }

    /** Skips the test unless Debian's python3 can import libtorrent. */
    public static void assumeLibtorrent() {
        assumeTrue(new File("/usr/bin/python3").canExecute()
                        && succeeds("/usr/bin/python3", "-c", "import libtorrent"),
                "python3-libtorrent is not installed");
    }

    /** Skips the test unless PROGRAM is an executable file. */
    public static void assumeExecutable(String program) {
        assumeTrue(new File(program).canExecute(), new File(program).getName() + " is not installed");
    }

    /** Runs SCRIPT and asserts that it exits 0 within the time; returns its output (stderr too). */
    public static String run(Path script, long timeoutSeconds) throws Exception {
        return run(script, timeoutSeconds, out -> { });
    }

    /**
     * As {@link #run(Path, long)}, showing the output first (before any assertion, so a failing
     * run still prints it). Every process the script left behind is ended at the end.
     */
    public static String run(Path script, long timeoutSeconds, Consumer<String> show) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = Files.createTempFile("torfs-" + script.getFileName(), ".log");
        Process p = new ProcessBuilder("bash", script.toString(), java, System.getProperty("java.class.path"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            boolean exited = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            String out = Files.readString(log, StandardCharsets.UTF_8);
            show.accept(out);
            assertThat(exited).as("script timed out:\n%s", out).isTrue();
            assertThat(p.exitValue()).as("script output:\n%s", out).isZero();
            return out;
        } finally {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            Files.deleteIfExists(log);
        }
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
