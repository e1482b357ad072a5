package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import torfs.NamespaceScript;

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
        NamespaceScript.assumeLibtorrent();
        NamespaceScript.assumeNetworkNamespace();
        String out = NamespaceScript.run(SCRIPT, 220);
        assertThat(out).contains("connected to 127.0.0.3:16883").contains("OK libtorrent pex interop");
    }
}
