package torfs.metainfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MagnetLinkTest {
    private static final String HEX = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";
    /** The same 20 bytes in base32. */
    private static final String B32 = "YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK";
    private static final String XT = "magnet:?xt=urn:btih:" + HEX;

    @Test
    void hexInfoHashInEitherCase() throws Exception {
        assertThat(MagnetLink.parse(XT).infoHash().hex()).isEqualTo(HEX);
        assertThat(MagnetLink.parse("MAGNET:?XT=URN:BTIH:" + HEX.toUpperCase()).infoHash().hex()).isEqualTo(HEX);
    }

    @Test
    void base32InfoHashInEitherCase() throws Exception {
        assertThat(MagnetLink.parse("magnet:?xt=urn:btih:" + B32).infoHash().hex()).isEqualTo(HEX);
        assertThat(MagnetLink.parse("magnet:?xt=urn:btih:" + B32.toLowerCase()).infoHash().hex()).isEqualTo(HEX);
    }

    @Test
    void displayNameIsPercentDecodedAndPlusStaysPlus() throws Exception {
        MagnetLink m = MagnetLink.parse(XT + "&dn=caf%C3%A9+au%20lait");
        assertThat(m.displayName()).isEqualTo("café+au lait");
    }

    @Test
    void trackersKeepOrderWithoutRepeatsIncludingNumberedOnes() throws Exception {
        MagnetLink m = MagnetLink.parse(XT + "&tr=http%3A%2F%2Fa%2Fannounce&tr.1=udp://b:1&tr=http://a/announce&tr.2=udp://c:2&tr=");
        assertThat(m.trackers()).containsExactly("http://a/announce", "udp://b:1", "udp://c:2");
    }

    @Test
    void peersAreLiteralsOrUnresolvedNames() throws Exception {
        MagnetLink m = MagnetLink.parse(XT + "&x.pe=127.0.0.2:6881&x.pe=%5B::1%5D:6882&x.pe=[::2]:7&x.pe=peer.example:80");
        assertThat(m.peers()).hasSize(4);
        assertThat(m.peers().get(0)).isEqualTo(new InetSocketAddress("127.0.0.2", 6881));
        assertThat(m.peers().get(1).getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(m.peers().get(1).getPort()).isEqualTo(6882);
        assertThat(m.peers().get(2).getPort()).isEqualTo(7);
        assertThat(m.peers().get(3).isUnresolved()).as("no DNS lookup while parsing").isTrue();
        assertThat(m.peers().get(3).getHostString()).isEqualTo("peer.example");
    }

    @Test
    void webSeeds() throws Exception {
        assertThat(MagnetLink.parse(XT + "&ws=http%3A%2F%2Fw%2Ff&ws=http://v/").webSeeds())
                .containsExactly("http://w/f", "http://v/");
    }

    @Test
    void selectOnlyIndexesAndRanges() throws Exception {
        assertThat(MagnetLink.parse(XT + "&so=6,0,2,4-6").selectedFiles()).containsExactly(0, 2, 4, 5, 6);
    }

    @Test
    void exactLength() throws Exception {
        assertThat(MagnetLink.parse(XT + "&xl=5000000000").exactLength()).hasValue(5_000_000_000L);
        assertThat(MagnetLink.parse(XT).exactLength()).isEmpty();
    }

    @Test
    void firstBtihWinsAndOtherXtAreIgnored() throws Exception {
        String other = "0".repeat(40);
        MagnetLink m = MagnetLink.parse("magnet:?xt=urn:sha1:XYZ&xt=urn:btih:" + HEX + "&xt=urn:btih:" + other);
        assertThat(m.infoHash().hex()).isEqualTo(HEX);
    }

    @Test
    void btmhBesideBtihUsesTheBtih() throws Exception {
        MagnetLink m = MagnetLink.parse("magnet:?xt=urn:btmh:1220" + "ab".repeat(32) + "&xt=urn:btih:" + HEX);
        assertThat(m.infoHash().hex()).isEqualTo(HEX);
    }

    @Test
    void unknownKeysAreIgnored() throws Exception {
        assertThat(MagnetLink.parse(XT + "&kt=a+b&x.foo=1&novalue&&").infoHash().hex()).isEqualTo(HEX);
    }

    @Test
    void canonicalUriParsesBackToTheSameLink() throws Exception {
        MagnetLink m = MagnetLink.parse(XT + "&dn=a%20b%26c&tr=udp://t:1/x?y=1&x.pe=[::1]:5&x.pe=127.0.0.3:9"
                + "&ws=http://w/&so=1,3-5&xl=12");
        String uri = m.toUri();
        assertThat(uri).startsWith(XT + "&dn=a%20b%26c&xl=12").contains("&so=1,3-5").contains("&x.pe=[0:0:0:0:0:0:0:1]:5");
        assertThat(MagnetLink.parse(uri)).isEqualTo(m);
    }

    @Test
    void torrentFileParsesToTheMagnetsHashWithTrackersInTiersOfTheirOwn() throws Exception {
        byte[] info = "d6:lengthi5e4:name1:a12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaae"
                .getBytes(StandardCharsets.US_ASCII);
        InfoHash h = InfoHash.sha1Of(info, 0, info.length);
        MagnetLink m = MagnetLink.parse("magnet:?xt=urn:btih:" + h.hex() + "&tr=http://a/&tr=udp://b:1&ws=http://w/");
        Torrent t = MetainfoParser.parse(m.torrentFile(info));
        assertThat(t.infoHash()).isEqualTo(h);
        assertThat(t.trackers()).containsExactly(List.of("http://a/"), List.of("udp://b:1"));
        assertThat(t.webSeeds()).containsExactly("http://w/");
        assertThat(MetainfoParser.parse(MagnetLink.parse("magnet:?xt=urn:btih:" + h.hex()).torrentFile(info)).name())
                .isEqualTo("a");
    }

    @Test
    void torrentFileRefusesAnotherTorrentsInfo() throws Exception {
        MagnetLink m = MagnetLink.parse(XT);
        assertThatThrownBy(() -> m.torrentFile("de".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(MetainfoException.class).hasMessageContaining("does not match");
    }

    // ---- rejects ----

    private static void rejects(String uri, String message) {
        assertThatThrownBy(() -> MagnetLink.parse(uri)).isInstanceOf(MetainfoException.class)
                .hasMessageContaining(message).message().doesNotContain("\n");
    }

    @Test
    void notAMagnetIsRejected() {
        rejects("http://example/?xt=urn:btih:" + HEX, "must start with 'magnet:?'");
        rejects("magnet:xt=urn:btih:" + HEX, "must start with 'magnet:?'");
    }

    @Test
    void missingXtIsRejected() {
        rejects("magnet:?dn=x", "no info-hash");
        rejects("magnet:?xt=urn:sha1:ABC", "no info-hash");
    }

    @Test
    void btmhAloneIsNotSupportedYetAsV2Torrents() {
        rejects("magnet:?xt=urn:btmh:1220" + "ab".repeat(32), "v2-only torrents are not supported yet");
    }

    @Test
    void hashOfWrongLengthIsRejected() {
        rejects("magnet:?xt=urn:btih:" + HEX.substring(1), "39 characters");
    }

    @Test
    void nonHexDigitIsRejected() {
        rejects("magnet:?xt=urn:btih:" + "g" + HEX.substring(1), "not hexadecimal");
    }

    @Test
    void nonBase32DigitIsRejected() {
        rejects("magnet:?xt=urn:btih:" + "1" + B32.substring(1), "not base32");
    }

    @Test
    void badPercentEscapeIsRejected() {
        rejects(XT + "&dn=a%2", "bad percent escape");
        rejects(XT + "&dn=a%zz", "bad percent escape");
    }

    @Test
    void peerWithBadPortIsRejected() {
        rejects(XT + "&x.pe=127.0.0.1:0", "bad port");
        rejects(XT + "&x.pe=127.0.0.1:65536", "bad port");
        rejects(XT + "&x.pe=127.0.0.1:+80", "bad port");
        rejects(XT + "&x.pe=127.0.0.1", "not host:port");
        rejects(XT + "&x.pe=nohost", "not host:port");
    }

    @Test
    void peerWithBadAddressIsRejected() {
        rejects(XT + "&x.pe=300.0.0.1:80", "bad address");
        rejects(XT + "&x.pe=[::g]:80", "bad address");
        rejects(XT + "&x.pe=[fe80::1%25eth0]:80", "bad address");
        rejects(XT + "&x.pe=a_b%2Fc:80", "bad host name");
    }

    @Test
    void malformedSelectionIsRejected() {
        rejects(XT + "&so=1,,2", "not a list of file indexes");
        rejects(XT + "&so=a", "not a list of file indexes");
        rejects(XT + "&so=-1", "not a list of file indexes");
        rejects(XT + "&so=5-2", "backward range");
    }

    @Test
    void absurdSelectionIsRejected() {
        rejects(XT + "&so=0-999999999", "more than 100000 files");
    }

    @Test
    void badExactLengthIsRejected() {
        rejects(XT + "&xl=-1", "not a length");
        rejects(XT + "&xl=99999999999999999999", "not a length");
        rejects(XT + "&xl=", "not a length");
    }

    @Test
    void overlongLinkIsRejected() {
        rejects(XT + "&dn=" + "a".repeat(MagnetLink.MAX_LENGTH), "over the 65536 limit");
    }
}
