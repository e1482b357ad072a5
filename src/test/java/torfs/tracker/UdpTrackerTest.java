package torfs.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import torfs.metainfo.InfoHash;

@Timeout(60)
class UdpTrackerTest {
    static final InfoHash HASH = InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567");
    private EventLoopGroup serverGroup;
    private EventLoopGroup clientGroup;
    private FakeUdpTrackerServer server;

    @BeforeEach
    void setUp() throws Exception {
        serverGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        clientGroup = Transports.newEventLoopGroup(1); // epoll here when available
        server = new FakeUdpTrackerServer(serverGroup);
    }

    @AfterEach
    void tearDown() {
        server.close();
        clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    static AnnounceRequest request(String peerId, int port, AnnounceEvent event) {
        return new AnnounceRequest(HASH, peerId.getBytes(StandardCharsets.US_ASCII), port, 0, 0, 1000, event, 50, 7);
    }

    /** The cause an announce failed with; shared with HttpTrackerTest. */
    static Throwable failure(java.util.concurrent.CompletableFuture<?> f) {
        try {
            f.get(30, TimeUnit.SECONDS);
            throw new AssertionError("expected the announce to fail");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void secondPeerSeesTheFirstAndTheConnectionIdIsReused() throws Exception {
        try (NettyTrackerFactory f = new NettyTrackerFactory(clientGroup)) {
            Tracker a = f.create(server.url());
            Tracker b = f.create(server.url());
            AnnounceResponse ra = a.announce(request("-TF0001-aaaaaaaaaaaa", 7001, AnnounceEvent.STARTED))
                    .get(10, TimeUnit.SECONDS);
            assertThat(ra.peers()).isEmpty();
            AnnounceResponse rb = b.announce(request("-TF0001-bbbbbbbbbbbb", 7002, AnnounceEvent.STARTED))
                    .get(10, TimeUnit.SECONDS);
            assertThat(rb.peers()).containsExactly(new InetSocketAddress("127.0.0.1", 7001));
            assertThat(rb.intervalSeconds()).isEqualTo(1200);
            assertThat(rb.leechers()).isEqualTo(2);
            AnnounceResponse ra2 = a.announce(request("-TF0001-aaaaaaaaaaaa", 7001, AnnounceEvent.NONE))
                    .get(10, TimeUnit.SECONDS);
            assertThat(ra2.peers()).containsExactly(new InetSocketAddress("127.0.0.1", 7002));
            assertThat(server.connects.get()).isEqualTo(2); // one per tracker, reused within 60 s
            assertThat(server.announces.get()).isEqualTo(3);
            assertThat(server.events).containsExactly(2, 2, 0);
            assertThat(new HashSet<>(server.transactionIds)).hasSize(server.transactionIds.size());
        }
    }

    @Test
    void seedBoundTo127002IsAdvertisedAsThatAddress() throws Exception {
        TrackerSettings bound = TrackerSettings.DEFAULT.withLocalAddress(InetAddress.getByName("127.0.0.2"));
        try (NettyTrackerFactory seed = new NettyTrackerFactory(clientGroup, bound);
             NettyTrackerFactory leech = new NettyTrackerFactory(clientGroup)) {
            seed.create(server.url()).announce(request("-TF0001-aaaaaaaaaaaa", 7001, AnnounceEvent.STARTED))
                    .get(10, TimeUnit.SECONDS);
            AnnounceResponse r = leech.create(server.url())
                    .announce(request("-TF0001-bbbbbbbbbbbb", 7002, AnnounceEvent.STARTED)).get(10, TimeUnit.SECONDS);
            assertThat(r.peers()).containsExactly(new InetSocketAddress("127.0.0.2", 7001));
            assertThat(server.senders.get(0).getAddress().getHostAddress()).isEqualTo("127.0.0.2");
        }
    }

    @Test
    void errorActionBecomesTheFailureMessage() throws Exception {
        server.errorMessage = "info hash not\tauthorized";
        try (NettyTrackerFactory f = new NettyTrackerFactory(clientGroup)) {
            Throwable e = failure(f.create(server.url()).announce(request("-TF0001-aaaaaaaaaaaa", 7001,
                    AnnounceEvent.STARTED)));
            assertThat(e).isInstanceOf(TrackerException.class)
                    .hasMessage("tracker failure: info hash not authorized");
        }
    }

    @Test
    void droppedPacketIsRetransmittedAfterTheBaseTimeout() throws Exception {
        server.dropFirst.set(1);
        TrackerSettings quick = TrackerSettings.DEFAULT.withUdpBaseTimeout(Duration.ofMillis(200));
        try (NettyTrackerFactory f = new NettyTrackerFactory(clientGroup, quick)) {
            AnnounceResponse r = f.create(server.url()).announce(request("-TF0001-aaaaaaaaaaaa", 7001,
                    AnnounceEvent.STARTED)).get(20, TimeUnit.SECONDS);
            assertThat(r.intervalSeconds()).isEqualTo(1200);
            assertThat(server.packets.get()).isEqualTo(3); // dropped connect, connect, announce
            assertThat(server.connects.get()).isEqualTo(1);
        }
    }

    @Test
    void repliesWithAnotherTransactionIdAreIgnored() throws Exception {
        server.wrongTransactionId = true;
        TrackerSettings quick = TrackerSettings.DEFAULT.withUdpBaseTimeout(Duration.ofMillis(100))
                .withUdpMaxRetries(1);
        try (NettyTrackerFactory f = new NettyTrackerFactory(clientGroup, quick)) {
            Throwable e = failure(f.create(server.url()).announce(request("-TF0001-aaaaaaaaaaaa", 7001,
                    AnnounceEvent.STARTED)));
            assertThat(e).isInstanceOf(TrackerException.class).hasMessage("UDP tracker did not answer after 2 tries");
            assertThat(server.connects.get()).isEqualTo(2);
            assertThat(server.announces.get()).isZero();
        }
    }

    @Test
    void silentTrackerFailsAfterTheLastRetransmission() throws Exception {
        server.dropFirst.set(Integer.MAX_VALUE);
        TrackerSettings quick = TrackerSettings.DEFAULT.withUdpBaseTimeout(Duration.ofMillis(50))
                .withUdpMaxRetries(2);
        try (NettyTrackerFactory f = new NettyTrackerFactory(clientGroup, quick)) {
            Throwable e = failure(f.create(server.url()).announce(request("-TF0001-aaaaaaaaaaaa", 7001,
                    AnnounceEvent.STARTED)));
            assertThat(e).hasMessage("UDP tracker did not answer after 3 tries");
            assertThat(server.packets.get()).isEqualTo(3);
        }
    }

    @Test
    void closingTheFactoryFailsAnnouncesInFlight() throws Exception {
        server.dropFirst.set(Integer.MAX_VALUE);
        NettyTrackerFactory f = new NettyTrackerFactory(clientGroup);
        var pending = f.create(server.url()).announce(request("-TF0001-aaaaaaaaaaaa", 7001, AnnounceEvent.STARTED));
        while (server.packets.get() == 0) {
            Thread.sleep(10);
        }
        f.close();
        assertThat(failure(pending)).hasMessage("tracker client is closed");
    }

    @Test
    void malformedUdpUrlsAreRejected() throws Exception {
        try (NettyTrackerFactory f = new NettyTrackerFactory(clientGroup)) {
            assertThatThrownBy(() -> f.create("udp://127.0.0.1/announce"))
                    .isInstanceOf(TrackerException.class).hasMessageContaining("udp://host:port");
            assertThatThrownBy(() -> f.create("wss://127.0.0.1/announce"))
                    .hasMessage("unsupported tracker URL scheme: wss://127.0.0.1/announce");
        }
    }
}
