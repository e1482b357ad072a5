package torfs.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import torfs.NamespaceScript;

/** Our node among python3-libtorrent DHT nodes, all inside a loopback-only network namespace. */
class LibtorrentDhtInteropTest {
    private static final Path SCRIPT = Path.of("native-test/dht/libtorrent-dht-interop.sh");

    @Test
    @Timeout(600)
    void bootstrapsFindsAndIsFoundByLibtorrent() throws Exception {
        NamespaceScript.assumeLibtorrent();
        NamespaceScript.assumeNetworkNamespace();
        // the LT_FOUND lines are libtorrent's lookup results: too many to show
        String out = NamespaceScript.run(SCRIPT, 540, shown -> System.out.println(
                shown.lines().filter(l -> !l.startsWith("LT_FOUND")).reduce("", (a, b) -> a + b + "\n")));
        assertThat(out).contains("ok routing table").contains("ok found libtorrent's peer")
                .contains("ok libtorrent found our peer").contains("OK libtorrent DHT interop");
    }
}
