package torfs.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import torfs.dht.DhtSettings;
import torfs.transport.TransportMode;

/**
 * The DHT the command line asks for. Maven runs the tests with TORFS_LOOPBACK_ONLY=1 (pom.xml),
 * so these also check that guard: no default DHT, no address off loopback.
 */
class NetworkOptionsTest {
    private static DownloadCommand.NetworkOptions net(List<String> bootstrap, boolean noDht) {
        DownloadCommand.NetworkOptions n = new DownloadCommand.NetworkOptions();
        n.dhtBootstrap = bootstrap;
        n.noDht = noDht;
        return n;
    }

    @Test
    void testsRunUnderTheLoopbackGuard() {
        assertThat(LoopbackOnly.active()).as("pom.xml sets " + LoopbackOnly.ENV).isTrue();
    }

    @Test
    void underTheGuardTheDhtIsOffUnlessGivenLoopbackNodes() {
        assertThat(net(List.of(), false).dhtConfig()).isNull();
        DhtSettings s = net(List.of("127.0.2.1:6881", "[::1]:7000"), false).dhtConfig();
        assertThat(s.bootstrap()).containsExactly("127.0.2.1:6881", "[::1]:7000");
        assertThat(s.loopbackOnly()).isTrue();
        assertThat(s.stateFile()).isEqualTo(MountOptions.cacheRoot().resolve("dht.dat"));
    }

    @Test
    void addressesOffLoopbackAreRefusedInOneLine() {
        assertThatThrownBy(() -> net(List.of("10.1.2.3:6881"), false).dhtConfig())
                .isInstanceOf(UserError.class)
                .hasMessage("--dht-bootstrap 10.1.2.3:6881: refused, TORFS_LOOPBACK_ONLY allows only 127.0.0.0/8 and ::1");
        assertThatThrownBy(() -> DownloadCommand.NetworkOptions.parsePeer("192.168.1.1:6881"))
                .isInstanceOf(UserError.class).hasMessageContaining("refused");
    }

    @Test
    void ipv6PeersAndBindAddressesAreAccepted() throws Exception {
        assertThat(DownloadCommand.NetworkOptions.parsePeer("[::1]:6881"))
                .isEqualTo(new java.net.InetSocketAddress("::1", 6881));
        assertThatThrownBy(() -> DownloadCommand.NetworkOptions.parsePeer("[2001:db8::1]:6881"))
                .isInstanceOf(UserError.class).hasMessageContaining("refused");
        assertThatThrownBy(() -> DownloadCommand.NetworkOptions.parsePeer("[::1]"))
                .isInstanceOf(UserError.class).hasMessageContaining("bad port");
        for (String bind : List.of("::1", "[::1]")) {
            DownloadCommand.NetworkOptions n = net(List.of(), true);
            n.bind = bind;
            assertThat(n.settings().bind()).as(bind).isEqualTo(java.net.InetAddress.getByName("::1"));
        }
    }

    @Test
    void noDhtAndBootstrapExcludeEachOther() {
        assertThat(net(List.of(), true).dhtConfig()).isNull();
        assertThatThrownBy(() -> net(List.of("127.0.0.1:1"), true).dhtConfig())
                .isInstanceOf(UserError.class).hasMessageContaining("exclude each other");
    }

    @Test
    void badBootstrapSpecsNameTheOption() {
        assertThatThrownBy(() -> net(List.of("127.0.0.1"), false).dhtConfig())
                .hasMessage("--dht-bootstrap 127.0.0.1: expected HOST:PORT");
        assertThatThrownBy(() -> net(List.of("127.0.0.1:0"), false).dhtConfig())
                .hasMessage("--dht-bootstrap 127.0.0.1:0: bad port");
    }

    @Test
    void transportIsBothUnlessAsked() {
        DownloadCommand.NetworkOptions n = net(List.of(), false);
        assertThat(n.settings().transport()).isEqualTo(TransportMode.BOTH);
        n.transport = "UTP";
        assertThat(n.settings().transport()).isEqualTo(TransportMode.UTP);
        n.transport = "tcp";
        assertThat(n.settings().transport()).isEqualTo(TransportMode.TCP);
        n.transport = "quic";
        assertThatThrownBy(n::settings).isInstanceOf(UserError.class)
                .hasMessage("--transport must be tcp, utp or both");
    }

    @Test
    void magnetsAreToldFromPathsByTheirScheme() {
        assertThat(TorrentSource.isMagnet("magnet:?xt=urn:btih:x")).isTrue();
        assertThat(TorrentSource.isMagnet("MAGNET:?xt=urn:btih:x")).isTrue();
        assertThat(TorrentSource.isMagnet("magnet.torrent")).isFalse();
        assertThat(TorrentSource.isMagnet("./magnet:x")).isFalse();
    }

    @Test
    void encryptionDefaultsToPreferAndRefusesOtherWords() {
        DownloadCommand.NetworkOptions n = new DownloadCommand.NetworkOptions();
        assertThat(n.settings().encryption()).isEqualTo(torfs.transport.mse.Encryption.PREFER);
        n.encryption = "Require";
        assertThat(n.settings().encryption()).isEqualTo(torfs.transport.mse.Encryption.REQUIRE);
        n.encryption = "disable";
        assertThat(n.settings().encryption()).isEqualTo(torfs.transport.mse.Encryption.DISABLE);
        n.encryption = "rc4";
        assertThatThrownBy(n::settings).isInstanceOf(UserError.class)
                .hasMessage("--encryption must be prefer, require or disable, not rc4");
    }
}
