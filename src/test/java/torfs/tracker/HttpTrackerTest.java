package torfs.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static torfs.tracker.HttpAnnounceParserTest.reply;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HttpTrackerTest {
    private static final byte[] ONE_PEER = {127, 0, 0, 9, 0x1b, 0x58}; // 127.0.0.9:7000
    private EventLoopGroup serverGroup;
    private EventLoopGroup clientGroup;
    private FakeHttpTrackerServer server;

    @BeforeEach
    void setUp() throws Exception {
        serverGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        clientGroup = Transports.newEventLoopGroup(1);
        server = new FakeHttpTrackerServer(serverGroup);
    }

    @AfterEach
    void tearDown() {
        server.close();
        clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static AnnounceRequest started() {
        return UdpTrackerTest.request("-TF0001-aaaaaaaaaaaa", 7001, AnnounceEvent.STARTED);
    }

    @Test
    void announceSendsTheQueryAndEchoesTheTrackerId() throws Exception {
        server.responder = uri -> FakeHttpTrackerServer.ok(reply("interval", 600, "peers", ONE_PEER,
                "tracker id", "T-42", "complete", 1, "incomplete", 0));
        Tracker t = new HttpTracker(server.url("/announce?passkey=p"), clientGroup, TrackerSettings.DEFAULT);
        AnnounceResponse r = t.announce(started()).get(10, TimeUnit.SECONDS);
        assertThat(r.peers()).containsExactly(new InetSocketAddress("127.0.0.9", 7000));
        assertThat(r.intervalSeconds()).isEqualTo(600);
        assertThat(r.seeders()).isEqualTo(1);
        String first = server.uris.get(0);
        assertThat(first).startsWith("/announce?passkey=p&info_hash=%01%23Eg%89%AB%CD%EF")
                .contains("&peer_id=-TF0001-aaaaaaaaaaaa&port=7001&uploaded=0&downloaded=0&left=1000&compact=1")
                .contains("&event=started&numwant=50").doesNotContain("trackerid");
        assertThat(server.hosts.get(0)).isEqualTo("127.0.0.1:" + server.port());
        t.announce(started().withEvent(AnnounceEvent.NONE)).get(10, TimeUnit.SECONDS);
        assertThat(server.uris.get(1)).endsWith("&trackerid=T-42").doesNotContain("event=");
    }

    @Test
    void announceLeavesFromTheBoundAddress() throws Exception {
        server.responder = uri -> FakeHttpTrackerServer.ok(reply("interval", 600, "peers", ONE_PEER));
        TrackerSettings bound = TrackerSettings.DEFAULT.withLocalAddress(InetAddress.getByName("127.0.0.2"));
        new HttpTracker(server.url("/announce"), clientGroup, bound).announce(started()).get(10, TimeUnit.SECONDS);
        new HttpTracker(server.url("/announce"), clientGroup, TrackerSettings.DEFAULT).announce(started())
                .get(10, TimeUnit.SECONDS);
        assertThat(server.senders).extracting(a -> a.getAddress().getHostAddress())
                .containsExactly("127.0.0.2", "127.0.0.1");
    }

    @Test
    void replyWithoutContentLengthEndsAtClose() throws Exception {
        server.omitContentLength = true;
        server.responder = uri -> FakeHttpTrackerServer.ok(reply("interval", 900, "peers", ONE_PEER));
        Tracker t = new HttpTracker(server.url("/announce"), clientGroup, TrackerSettings.DEFAULT);
        assertThat(t.announce(started()).get(10, TimeUnit.SECONDS).peers())
                .containsExactly(new InetSocketAddress("127.0.0.9", 7000));
    }

    @Test
    void httpsUrlsGetAClientTlsContext() throws Exception {
        assertThat(HttpGet.tlsContext().isClient()).isTrue();
        try (NettyTrackerFactory f = new NettyTrackerFactory(clientGroup)) {
            assertThat(f.create("https://tracker.example/announce")).isInstanceOf(HttpTracker.class);
        }
    }

    @Test
    void failureReasonFailsTheAnnounce() throws Exception {
        server.responder = uri -> FakeHttpTrackerServer.ok(reply("failure reason", "unregistered torrent"));
        Tracker t = new HttpTracker(server.url("/announce"), clientGroup, TrackerSettings.DEFAULT);
        assertThat(UdpTrackerTest.failure(t.announce(started()))).isInstanceOf(TrackerException.class)
                .hasMessage("tracker failure: unregistered torrent");
    }

    @Test
    void failureReasonInAnErrorStatusIsShown() throws Exception {
        server.responder = uri -> FakeHttpTrackerServer.status(HttpResponseStatus.FORBIDDEN,
                reply("failure reason", "banned client"));
        Tracker t = new HttpTracker(server.url("/announce"), clientGroup, TrackerSettings.DEFAULT);
        assertThat(UdpTrackerTest.failure(t.announce(started()))).hasMessage("tracker failure: banned client");
    }

    @Test
    void errorStatusWithoutBencodeNamesTheStatus() throws Exception {
        server.responder = uri -> FakeHttpTrackerServer.status(HttpResponseStatus.NOT_FOUND,
                "<html>nope</html>".getBytes(StandardCharsets.US_ASCII));
        Tracker t = new HttpTracker(server.url("/announce"), clientGroup, TrackerSettings.DEFAULT);
        assertThat(UdpTrackerTest.failure(t.announce(started()))).hasMessage("tracker answered HTTP 404 Not Found");
    }

    @Test
    void redirectIsFollowedWithTheQuery() throws Exception {
        server.responder = uri -> uri.startsWith("/old")
                ? FakeHttpTrackerServer.redirect("/new" + uri.substring(4))
                : FakeHttpTrackerServer.ok(reply("interval", 900, "peers", ONE_PEER));
        Tracker t = new HttpTracker(server.url("/old"), clientGroup, TrackerSettings.DEFAULT);
        AnnounceResponse r = t.announce(started()).get(10, TimeUnit.SECONDS);
        assertThat(r.peers()).hasSize(1);
        assertThat(server.uris).hasSize(2);
        assertThat(server.uris.get(1)).startsWith("/new?info_hash=");
    }

    @Test
    void moreThanThreeRedirectsFail() throws Exception {
        server.responder = uri -> FakeHttpTrackerServer.redirect(server.url("/loop?x=" + uri.length()));
        Tracker t = new HttpTracker(server.url("/loop"), clientGroup, TrackerSettings.DEFAULT);
        assertThat(UdpTrackerTest.failure(t.announce(started()))).hasMessage("tracker redirected more than 3 times");
        assertThat(server.uris).hasSize(4);
    }

    @Test
    void silentTrackerTimesOut() throws Exception {
        server.responder = uri -> null;
        Tracker t = new HttpTracker(server.url("/announce"), clientGroup,
                TrackerSettings.DEFAULT.withResponseTimeout(Duration.ofMillis(300)));
        assertThat(UdpTrackerTest.failure(t.announce(started()))).hasMessage("tracker did not answer within 300 ms");
    }

    @Test
    void oversizedReplyIsRejected() throws Exception {
        server.responder = uri -> FakeHttpTrackerServer.ok(reply("interval", 900, "peers", new byte[6 * 1000]));
        Tracker t = new HttpTracker(server.url("/announce"), clientGroup,
                TrackerSettings.DEFAULT.withMaxResponseBytes(1024));
        assertThat(UdpTrackerTest.failure(t.announce(started()))).hasMessage("tracker reply larger than 1024 bytes");
    }

    @Test
    void refusedConnectionFails() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Tracker t = new HttpTracker("http://127.0.0.1:" + closedPort + "/announce", clientGroup,
                TrackerSettings.DEFAULT);
        assertThat(UdpTrackerTest.failure(t.announce(started()))).isInstanceOf(TrackerException.class)
                .hasMessage("cannot connect to tracker 127.0.0.1:" + closedPort + ": connection refused");
    }

    @Test
    void nettysNativeConnectFailureReadsAsTheUserWouldSayIt() {
        assertThat(HttpGet.oneLine(new java.net.ConnectException(
                "finishConnect(..) failed with error(-111): Connection refused: /127.0.0.1:1")))
                .isEqualTo("connection refused");
        assertThat(HttpGet.oneLine(new java.net.ConnectException("Connection refused"))).isEqualTo("connection refused");
        assertThat(HttpGet.oneLine(new java.io.IOException("bad\n  reply"))).isEqualTo("bad reply");
        assertThat(HttpGet.oneLine(new java.io.IOException())).isEqualTo("IOException");
    }
}
