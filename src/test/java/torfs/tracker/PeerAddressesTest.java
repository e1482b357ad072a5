package torfs.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class PeerAddressesTest {
    @Test
    void literalsParseWithoutResolving() {
        assertThat(PeerAddresses.literal("10.0.0.1", 6881)).isEqualTo(new InetSocketAddress("10.0.0.1", 6881));
        assertThat(PeerAddresses.literal("::1", 80)).isEqualTo(new InetSocketAddress("::1", 80));
        assertThat(PeerAddresses.literal("10.0.0.1", 0)).isNull();
        assertThat(PeerAddresses.literal("10.0.0.1", 65536)).isNull();
        assertThat(PeerAddresses.literal("localhost", 80)).isNull();
    }

    /**
     * A tracker's "999.1.1.1", ".:" or "%:" is no literal, and InetAddress.getByName would hand it
     * to DNS: found by TrackerFuzzTest#dictionaryPeerLiteral's reasoning, checked here with a
     * security manager that sees every lookup (Java 17 still allows installing one).
     */
    @Test
    @SuppressWarnings("removal")
    void nonLiteralsNeverReachDns() {
        List<String> lookups = new ArrayList<>();
        SecurityManager spy = new SecurityManager() {
            @Override
            public void checkPermission(java.security.Permission perm) {
            }

            @Override
            public void checkConnect(String host, int port) {
                if (port == -1) {
                    lookups.add(host); // InetAddress asks this before a name lookup
                }
            }
        };
        try {
            System.setSecurityManager(spy);
        } catch (UnsupportedOperationException e) {
            Assumptions.abort("this JVM cannot install a security manager");
        }
        try {
            for (String ip : List.of("999.1.1.1", "256.0.0.1", ".:", "%:", "1.2.3.4.5", "1:2", "example.org")) {
                assertThat(PeerAddresses.literal(ip, 80)).as(ip).isNull();
            }
            assertThat(PeerAddresses.literal("255.255.255.255", 80)).isNotNull();
        } finally {
            System.setSecurityManager(null);
        }
        assertThat(lookups).isEmpty();
    }
}
