package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import torfs.NamespaceScript;

/**
 * ut_metadata both ways with the real python3-libtorrent 2.0.8, inside a loopback-only
 * namespace (native-test/magnet/magnet-interop.sh).
 */
class MagnetInteropTest {
    private static final Path SCRIPT = Path.of("native-test/magnet/magnet-interop.sh");

    @Test
    @Timeout(240)
    void metadataTravelsBothWaysBetweenTorfsAndLibtorrent() throws Exception {
        NamespaceScript.assumeLibtorrent();
        NamespaceScript.assumeNetworkNamespace();
        String out = NamespaceScript.run(SCRIPT, 200, System.out::println);
        assertThat(out).contains("ok fetched metadata from libtorrent: ")
                .contains("clip.bin")
                .contains("ok libtorrent got metadata: movie.bin ")
                .contains("OK magnet interop");
    }
}
