package torfs.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static torfs.tracker.UdpTrackerTest.request;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Trackers on ::1: BEP 15 over IPv6 answers with 18-byte peers, HTTP with peers6 (BEP 7); either is
 * reached whatever family the client is bound to.
 */
@Timeout(60)
class TrackerOverIpv6Test {
    private EventLoopGroup serverGroup;
    private EventLoopGroup clientGroup;
    private FakeUdpTrackerServer v6;
    private FakeUdpTrackerServer v4;
    private FakeHttpTrackerServer http6;

    @BeforeEach
    void setUp() throws Exception {
        serverGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        clientGroup = Transports.newEventLoopGroup(1);
        v6 = new FakeUdpTrackerServer(serverGroup, "::1");
        v4 = new FakeUdpTrackerServer(serverGroup);
        http6 = new FakeHttpTrackerServer(serverGroup, "::1");
    }

    @AfterEach
    void tearDown() {
        v6.close();
        v4.close();
        http6.close();
        clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void anAnnounceOverIpv6GetsEighteenBytePeers() throws Exception {
        try (NettyTrackerFactory f = new NettyTrackerFactory(clientGroup)) {
            assertThat(v6.url()).startsWith("udp://[");
            f.create(v6.url()).announce(request("-TF0001-aaaaaaaaaaaa", 7001, AnnounceEvent.STARTED))
                    .get(10, TimeUnit.SECONDS);
            AnnounceResponse r = f.create(v6.url())
                    .announce(request("-TF0001-bbbbbbbbbbbb", 7002, AnnounceEvent.STARTED)).get(10, TimeUnit.SECONDS);
            assertThat(r.peers()).containsExactly(new InetSocketAddress("::1", 7001));
        }
    }

    @Test
    void aClientBoundToIpv4ReachesAnIpv6TrackerAndKeepsItsBindForIpv4Ones() throws Exception {
        TrackerSettings bound = TrackerSettings.DEFAULT.withLocalAddress(InetAddress.getByName("127.0.0.2"));
        try (NettyTrackerFactory f = new NettyTrackerFactory(clientGroup, bound)) {
            f.create(v6.url()).announce(request("-TF0001-aaaaaaaaaaaa", 7001, AnnounceEvent.STARTED))
                    .get(10, TimeUnit.SECONDS);
            f.create(v4.url()).announce(request("-TF0001-aaaaaaaaaaaa", 7001, AnnounceEvent.STARTED))
                    .get(10, TimeUnit.SECONDS);
            assertThat(v6.senders.get(0).getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
            assertThat(v4.senders.get(0).getAddress().getHostAddress()).isEqualTo("127.0.0.2");
        }
    }

    @Test
    void aClientBoundToIpv6ReachesAnIpv4Tracker() throws Exception {
        TrackerSettings bound = TrackerSettings.DEFAULT.withLocalAddress(InetAddress.getByName("::1"));
        try (NettyTrackerFactory f = new NettyTrackerFactory(clientGroup, bound)) {
            f.create(v4.url()).announce(request("-TF0001-aaaaaaaaaaaa", 7001, AnnounceEvent.STARTED))
                    .get(10, TimeUnit.SECONDS);
            f.create(v6.url()).announce(request("-TF0001-aaaaaaaaaaaa", 7001, AnnounceEvent.STARTED))
                    .get(10, TimeUnit.SECONDS);
            assertThat(v4.senders.get(0).getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void anHttpAnnounceToIpv6LoopbackReadsPeers6FromAnIpv4BoundClient() throws Exception {
        byte[] v6peer = new byte[18];
        v6peer[15] = 1;
        v6peer[16] = 0x1b;
        v6peer[17] = 0x58; // [::1]:7000
        http6.responder = uri -> FakeHttpTrackerServer.ok(HttpAnnounceParserTest.reply("interval", 600,
                "peers", new byte[0], "peers6", v6peer));
        TrackerSettings bound = TrackerSettings.DEFAULT.withLocalAddress(InetAddress.getByName("127.0.0.2"));
        assertThat(http6.url("/announce")).startsWith("http://[");
        AnnounceResponse r = new HttpTracker(http6.url("/announce"), clientGroup, bound)
                .announce(request("-TF0001-aaaaaaaaaaaa", 7001, AnnounceEvent.STARTED)).get(10, TimeUnit.SECONDS);
        assertThat(r.peers()).containsExactly(new InetSocketAddress("::1", 7000));
        assertThat(http6.hosts.get(0)).isEqualTo("[0:0:0:0:0:0:0:1]:" + http6.port());
    }
}
