package torfs.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import torfs.bencode.BDict;
import torfs.bencode.BInt;
import torfs.bencode.BList;
import torfs.bencode.BString;
import torfs.bencode.BValue;
import torfs.bencode.BencodeEncoder;
import torfs.metainfo.InfoHash;

class HttpAnnounceParserTest {
    private static final byte[] TWO_V4 = {10, 0, 0, 1, 0x1a, (byte) 0xe1, 127, 0, 0, 2, 0, 80};

    static byte[] reply(Object... kv) {
        Map<String, BValue> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            Object v = kv[i + 1];
            BValue b = v instanceof Integer n ? new BInt(n) : v instanceof String s ? BString.of(s)
                    : v instanceof byte[] bytes ? new BString(bytes) : (BValue) v;
            m.put((String) kv[i], b);
        }
        return BencodeEncoder.encode(new BDict(m));
    }

    @Test
    void compactPeersAreSixByteEntries() throws Exception {
        AnnounceResponse r = HttpAnnounceParser.parse(reply("interval", 900, "min interval", 120,
                "complete", 3, "incomplete", 7, "peers", TWO_V4));
        assertThat(r.peers()).containsExactly(new InetSocketAddress("10.0.0.1", 6881),
                new InetSocketAddress("127.0.0.2", 80));
        assertThat(r.intervalSeconds()).isEqualTo(900);
        assertThat(r.minIntervalSeconds()).isEqualTo(120);
        assertThat(r.seeders()).isEqualTo(3);
        assertThat(r.leechers()).isEqualTo(7);
        assertThat(r.warning()).isEmpty();
        assertThat(r.trackerId()).isEmpty();
    }

    @Test
    void peers6AreEighteenByteEntriesAddedToIpv4Ones() throws Exception {
        byte[] v6 = new byte[18];
        v6[15] = 1; // ::1
        v6[16] = 0x1b;
        v6[17] = 0x39; // 6969
        AnnounceResponse r = HttpAnnounceParser.parse(reply("interval", 900, "peers", TWO_V4, "peers6", v6));
        assertThat(r.peers()).hasSize(3);
        assertThat(r.peers().get(2)).isEqualTo(new InetSocketAddress("::1", 6969));
    }

    @Test
    void dictionaryPeerListKeepsIpLiteralsAndSkipsHostNamesAndBadPorts() throws Exception {
        BList peers = new BList(List.of(
                peer("127.0.0.3", 7000), peer("::1", 7001), peer("tracker.example", 7002),
                peer("127.0.0.4", 0), peer("127.0.0.5", 70000), BString.of("junk")));
        AnnounceResponse r = HttpAnnounceParser.parse(reply("interval", 60, "peers", peers));
        assertThat(r.peers()).containsExactly(new InetSocketAddress("127.0.0.3", 7000),
                new InetSocketAddress("::1", 7001));
    }

    private static BDict peer(String ip, long port) {
        Map<String, BValue> m = new LinkedHashMap<>();
        m.put("ip", BString.of(ip));
        m.put("peer id", new BString(new byte[20]));
        m.put("port", new BInt(port));
        return new BDict(m);
    }

    @Test
    void compactPeersNotAMultipleOfSixAreRejected() {
        assertThatThrownBy(() -> HttpAnnounceParser.parse(reply("interval", 900, "peers", new byte[13])))
                .isInstanceOf(TrackerException.class)
                .hasMessage("bad tracker response: 'peers' is 13 bytes, not a multiple of 6");
    }

    @Test
    void peers6AloneWithoutPeersIsEnough() throws Exception {
        byte[] two = new byte[36];
        two[0] = 0x20;
        two[1] = 0x01; // 2001::...
        two[16] = 0x1a;
        two[17] = (byte) 0xe1; // 6881
        two[33] = 1; // ::1 ...
        two[35] = 80;
        AnnounceResponse r = HttpAnnounceParser.parse(reply("interval", 900, "peers6", two));
        assertThat(r.peers()).containsExactly(new InetSocketAddress("2001::", 6881), new InetSocketAddress("::1", 80));
    }

    @Test
    void peers6WithPortZeroIsSkippedAndEmptyPeers6IsNoPeers() throws Exception {
        byte[] portZero = new byte[18];
        portZero[15] = 1;
        assertThat(HttpAnnounceParser.parse(reply("peers6", portZero)).peers()).isEmpty();
        assertThat(HttpAnnounceParser.parse(reply("peers", new byte[0], "peers6", new byte[0])).peers()).isEmpty();
    }

    @Test
    void peers6OfAnyLengthButMultiplesOfEighteenIsRejected() {
        for (int len : new int[] {1, 6, 16, 17, 19, 26, 35, 37}) {
            assertThatThrownBy(() -> HttpAnnounceParser.parse(reply("peers6", new byte[len]))).as("%d bytes", len)
                    .isInstanceOf(TrackerException.class).hasMessageContaining("'peers6' is " + len + " bytes");
        }
    }

    @Test
    void peers6NotAMultipleOfEighteenAreRejected() {
        assertThatThrownBy(() -> HttpAnnounceParser.parse(reply("peers", new byte[0], "peers6", new byte[20])))
                .isInstanceOf(TrackerException.class)
                .hasMessage("bad tracker response: 'peers6' is 20 bytes, not a multiple of 18");
    }

    @Test
    void zeroOrNegativeIntervalFallsBackToTheDefault() throws Exception {
        assertThat(HttpAnnounceParser.parse(reply("interval", 0, "peers", "")).intervalSeconds())
                .isEqualTo(AnnounceResponse.DEFAULT_INTERVAL_SECONDS);
        assertThat(HttpAnnounceParser.parse(reply("interval", -5, "peers", "")).intervalSeconds())
                .isEqualTo(AnnounceResponse.DEFAULT_INTERVAL_SECONDS);
        assertThat(HttpAnnounceParser.parse(reply("peers", "")).intervalSeconds())
                .isEqualTo(AnnounceResponse.DEFAULT_INTERVAL_SECONDS);
    }

    @Test
    void tinyIntervalsAreRaisedToTheFloorAndMinIntervalNeverExceedsInterval() throws Exception {
        AnnounceResponse r = HttpAnnounceParser.parse(reply("interval", 5, "min interval", 1, "peers", ""));
        assertThat(r.intervalSeconds()).isEqualTo(AnnounceResponse.MIN_INTERVAL_FLOOR_SECONDS);
        assertThat(r.minIntervalSeconds()).isEqualTo(AnnounceResponse.MIN_INTERVAL_FLOOR_SECONDS);
        AnnounceResponse r2 = HttpAnnounceParser.parse(reply("interval", 300, "min interval", 900, "peers", ""));
        assertThat(r2.minIntervalSeconds()).isEqualTo(300);
        assertThat(r2.seeders()).isEqualTo(-1);
    }

    @Test
    void failureReasonBecomesTheExceptionMessage() {
        assertThatThrownBy(() -> HttpAnnounceParser.parse(reply("failure reason", "torrent not\nregistered")))
                .isInstanceOf(TrackerException.class)
                .hasMessage("tracker failure: torrent not registered");
    }

    @Test
    void warningAndTrackerIdAreKept() throws Exception {
        AnnounceResponse r = HttpAnnounceParser.parse(reply("interval", 900, "peers", "",
                "warning message", "slow down", "tracker id", "abc123"));
        assertThat(r.warning()).contains("slow down");
        assertThat(r.trackerId()).contains("abc123");
    }

    @Test
    void truncatedBencodeIsAMalformedResponse() {
        byte[] whole = reply("interval", 900, "peers", TWO_V4);
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 3);
        assertThatThrownBy(() -> HttpAnnounceParser.parse(cut))
                .isInstanceOf(TrackerException.class)
                .hasMessageStartingWith("malformed tracker response: ");
    }

    @Test
    void nonDictionaryAndHtmlBodiesAreMalformed() {
        assertThatThrownBy(() -> HttpAnnounceParser.parse("<html>".getBytes(StandardCharsets.US_ASCII)))
                .hasMessageStartingWith("malformed tracker response: ");
        assertThatThrownBy(() -> HttpAnnounceParser.parse("i5e".getBytes(StandardCharsets.US_ASCII)))
                .hasMessage("malformed tracker response: not a dictionary");
    }

    @Test
    void queryPercentEncodesBinaryFieldsAndAppendsToAnExistingQuery() {
        byte[] hash = new byte[20];
        hash[0] = (byte) 0xff;
        hash[1] = 'a';
        hash[2] = ' ';
        byte[] peerId = "-TF0001-abcdefghijkl".getBytes(StandardCharsets.US_ASCII);
        AnnounceRequest r = new AnnounceRequest(InfoHash.of(hash), peerId, 6881, 1, 2, 3,
                AnnounceEvent.STARTED, 50, 0xBEEF);
        String url = HttpAnnounceQuery.url("http://t.example/announce?passkey=x", r, "id 1");
        assertThat(url).isEqualTo("http://t.example/announce?passkey=x&info_hash=%FFa%20"
                + "%00".repeat(17) + "&peer_id=-TF0001-abcdefghijkl&port=6881&uploaded=1&downloaded=2"
                + "&left=3&compact=1&event=started&numwant=50&key=0000BEEF&trackerid=id%201");
        String plain = HttpAnnounceQuery.url("http://t.example/announce", r.withEvent(AnnounceEvent.NONE)
                .withNumWant(-1), null);
        assertThat(plain).contains("/announce?info_hash=").doesNotContain("event=").doesNotContain("numwant")
                .doesNotContain("trackerid");
    }
}
