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

/** BEP 15 over IPv6: a tracker on ::1 answers with 18-byte peers, whatever family we are bound to. */
@Timeout(60)
class UdpTrackerIpv6Test {
    private EventLoopGroup serverGroup;
    private EventLoopGroup clientGroup;
    private FakeUdpTrackerServer v6;
    private FakeUdpTrackerServer v4;

    @BeforeEach
    void setUp() throws Exception {
        serverGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        clientGroup = Transports.newEventLoopGroup(1);
        v6 = new FakeUdpTrackerServer(serverGroup, "::1");
        v4 = new FakeUdpTrackerServer(serverGroup);
    }

    @AfterEach
    void tearDown() {
        v6.close();
        v4.close();
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
}
