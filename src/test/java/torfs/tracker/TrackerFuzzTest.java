package torfs.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * Fuzz targets for every tracker parser of bytes a tracker sends. Plain {@code mvn test} replays
 * the seeds in TrackerFuzzTestInputs/; {@code JAZZER_FUZZ=1} fuzzes (see the README's testing notes).
 * Only {@link TrackerException} may escape; whatever is returned must already be sane.
 */
class TrackerFuzzTest {
    private static final int WEEK_SECONDS = 7 * 24 * 3600;

    @FuzzTest(maxDuration = "60s")
    void httpAnnounce(byte[] body) {
        try {
            AnnounceResponse r = HttpAnnounceParser.parse(body);
            assertSane(r);
            // each peer costs at least 6 bytes of input: a reply cannot make us build more
            assertThat(r.peers().size()).isLessThanOrEqualTo(body.length / PeerAddresses.COMPACT_V4);
        } catch (TrackerException e) {
            assertOneLine(e.getMessage());
        }
        Optional<String> failure = HttpAnnounceParser.failureReason(body);
        failure.ifPresent(TrackerFuzzTest::assertOneLine);
    }

    @FuzzTest(maxDuration = "60s")
    void compactPeers(FuzzedDataProvider data) {
        int entry = data.consumeBoolean() ? PeerAddresses.COMPACT_V6 : PeerAddresses.COMPACT_V4;
        byte[] bytes = data.consumeRemainingAsBytes();
        // callers always pass a range inside the array; the fuzzer picks one from the bytes' own size
        int offset = bytes.length == 0 ? 0 : Math.floorMod(bytes.length * 31 + entry, bytes.length + 1);
        int length = bytes.length - offset;
        try {
            List<InetSocketAddress> peers = PeerAddresses.compact(bytes, offset, length, entry, "peers");
            assertThat(length % entry).isZero();
            assertThat(peers.size()).isLessThanOrEqualTo(length / entry);
            for (InetSocketAddress p : peers) {
                assertPeer(p);
            }
        } catch (TrackerException e) {
            assertThat(length % entry).isNotZero();
        }
    }

    @FuzzTest(maxDuration = "60s")
    void dictionaryPeerLiteral(FuzzedDataProvider data) {
        long port = data.consumeLong(-2, 70_000);
        String ip = data.consumeRemainingAsString();
        InetSocketAddress a = PeerAddresses.literal(ip, port);
        if (a != null) {
            assertPeer(a);
            assertThat(a.getPort()).isEqualTo(port);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void udpConnectReply(byte[] reply) throws TrackerException {
        if (reply.length < 8) {
            return; // UdpSocket drops datagrams too short to carry a transaction id
        }
        UdpTracker t = new UdpTracker("udp://127.0.0.1:6969", null, TrackerSettings.DEFAULT);
        try {
            t.connectReply(reply);
            assertThat(reply.length).isGreaterThanOrEqualTo(16);
            assertThat(reply[0] | reply[1] | reply[2] | reply[3]).isZero(); // action connect
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(TrackerException.class);
            assertOneLine(e.getCause().getMessage());
        }
    }

    /** The last input byte picks whether the reply came over IPv4 or IPv6 (6- or 18-byte peers). */
    @FuzzTest(maxDuration = "60s")
    void udpAnnounceReply(FuzzedDataProvider data) throws TrackerException {
        boolean v6 = data.consumeBoolean();
        byte[] reply = data.consumeRemainingAsBytes();
        if (reply.length < 8) {
            return; // UdpSocket drops datagrams too short to carry a transaction id
        }
        InetSocketAddress from = new InetSocketAddress(v6 ? "::1" : "127.0.0.1", 6969);
        UdpTracker t = new UdpTracker("udp://127.0.0.1:6969", null, TrackerSettings.DEFAULT);
        try {
            AnnounceResponse r = t.announceReply(reply, from);
            assertSane(r);
            int entry = v6 ? PeerAddresses.COMPACT_V6 : PeerAddresses.COMPACT_V4;
            assertThat(r.peers().size()).isLessThanOrEqualTo((reply.length - 20) / entry);
            assertThat(r.seeders()).isGreaterThanOrEqualTo(0); // UDP always carries both counts
            assertThat(r.leechers()).isGreaterThanOrEqualTo(0);
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(TrackerException.class);
            assertOneLine(e.getCause().getMessage());
        }
    }

    private static void assertSane(AnnounceResponse r) {
        assertThat(r.intervalSeconds()).isBetween(AnnounceResponse.MIN_INTERVAL_FLOOR_SECONDS, WEEK_SECONDS);
        assertThat(r.minIntervalSeconds()).isBetween(AnnounceResponse.MIN_INTERVAL_FLOOR_SECONDS,
                r.intervalSeconds());
        assertThat(r.seeders()).isGreaterThanOrEqualTo(-1);
        assertThat(r.leechers()).isGreaterThanOrEqualTo(-1);
        r.warning().ifPresent(TrackerFuzzTest::assertOneLine);
        r.trackerId().ifPresent(TrackerFuzzTest::assertOneLine);
        assertThat(r.warning().orElse("")).hasSizeLessThanOrEqualTo(200);
        assertThat(r.trackerId().orElse("")).hasSizeLessThanOrEqualTo(200);
        for (InetSocketAddress p : r.peers()) {
            assertPeer(p);
        }
    }

    private static void assertPeer(InetSocketAddress p) {
        assertThat(p.isUnresolved()).isFalse();
        assertThat(p.getPort()).isBetween(1, 65535);
        assertThat(p.getAddress().getAddress().length).isIn(4, 16);
    }

    /** Tracker text reaches a terminal: bounded, no control characters. */
    private static void assertOneLine(String s) {
        assertThat(s).isNotNull();
        assertThat(s.chars().noneMatch(c -> c == '\n' || c == '\r' || c == 0x1b)).as(s).isTrue();
    }
}
