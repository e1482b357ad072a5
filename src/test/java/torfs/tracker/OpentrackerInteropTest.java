package torfs.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import torfs.NamespaceScript;

/** HTTP and UDP announces against the real opentracker, all inside a loopback-only namespace. */
class OpentrackerInteropTest {
    private static final Path SCRIPT = Path.of("native-test/tracker/opentracker-interop.sh");

    @Test
    @Timeout(180)
    void twoPeersSeeEachOtherOverHttpAndUdp() throws Exception {
        NamespaceScript.assumeExecutable("/usr/bin/opentracker");
        NamespaceScript.assumeNetworkNamespace();
        String out = NamespaceScript.run(SCRIPT, 150);
        assertThat(out).contains("ok http://127.0.0.1:6969/announce peers")
                .contains("ok udp://127.0.0.1:6969/announce peers")
                .contains("OK opentracker interop");
    }
}
