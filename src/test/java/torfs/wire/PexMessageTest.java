package torfs.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import torfs.bencode.BDict;
import torfs.bencode.BInt;
import torfs.bencode.BList;
import torfs.bencode.BString;
import torfs.bencode.BValue;
import torfs.bencode.BencodeEncoder;

class PexMessageTest {
    private static InetSocketAddress at(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }

    private static byte[] dict(Map<String, BValue> entries) {
        return BencodeEncoder.encode(new BDict(new TreeMap<>(entries)));
    }

    private static BString bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i % 7 + 1); // no zero ports
        }
        return new BString(b);
    }

    @Test
    void roundTripKeepsPeersFlagsAndBothFamilies() {
        PexMessage m = new PexMessage(
                List.of(new PexMessage.Peer(at("127.0.0.2", 6881), PexMessage.SEED | PexMessage.REACHABLE),
                        new PexMessage.Peer(at("2001:db8::1", 51413), PexMessage.SUPPORTS_UTP),
                        new PexMessage.Peer(at("10.1.2.3", 65535), 0)),
                List.of(at("127.0.0.9", 1), at("2001:db8::2", 2)));
        PexMessage back = PexMessage.decode(m.encode());
        // the wire groups each family: IPv4 peers come first
        assertThat(back.added()).containsExactly(m.added().get(0), m.added().get(2), m.added().get(1));
        assertThat(back.dropped()).containsExactlyElementsOf(m.dropped());
        assertThat(back.added().get(0).has(PexMessage.SEED)).isTrue();
        assertThat(back.added().get(0).has(PexMessage.PREFERS_ENCRYPTION)).isFalse();
    }

    @Test
    void emptyMessageRoundTrips() {
        assertThat(PexMessage.decode(new PexMessage(List.of(), List.of()).encode()))
                .isEqualTo(new PexMessage(List.of(), List.of()));
    }

    @Test
    void missingFlagsMeanNoFlags() {
        PexMessage m = PexMessage.decode(dict(Map.of("added", bytes(12))));
        assertThat(m.added()).hasSize(2).allSatisfy(p -> assertThat(p.flags()).isZero());
    }

    @Test
    void portZeroEntriesAreSkippedWithTheirFlags() {
        byte[] added = {127, 0, 0, 2, 0, 0, 127, 0, 0, 3, 0x1a, (byte) 0xe1};
        PexMessage m = PexMessage.decode(dict(Map.of("added", new BString(added),
                "added.f", new BString(new byte[] {PexMessage.SEED, PexMessage.REACHABLE}))));
        assertThat(m.added()).containsExactly(new PexMessage.Peer(at("127.0.0.3", 6881), PexMessage.REACHABLE));
    }

    @Test
    void unknownKeysAreIgnored() {
        PexMessage m = PexMessage.decode(dict(Map.of("added", bytes(6), "x-vendor", new BInt(3))));
        assertThat(m.added()).hasSize(1);
    }

    @Test
    void oddLengthAddedIsAnError() {
        assertThatThrownBy(() -> PexMessage.decode(dict(Map.of("added", bytes(7)))))
                .isInstanceOf(WireException.class).hasMessageContaining("6-byte");
    }

    @Test
    void oddLengthDroppedIsAnError() {
        assertThatThrownBy(() -> PexMessage.decode(dict(Map.of("dropped", bytes(13)))))
                .isInstanceOf(WireException.class);
    }

    @Test
    void ipv6ListOfIpv4EntrySizeIsAnError() {
        assertThatThrownBy(() -> PexMessage.decode(dict(Map.of("added6", bytes(12)))))
                .isInstanceOf(WireException.class).hasMessageContaining("18-byte");
        assertThatThrownBy(() -> PexMessage.decode(dict(Map.of("dropped6", bytes(19)))))
                .isInstanceOf(WireException.class);
    }

    @Test
    void ipv6FlagsMustMatchToo() {
        assertThatThrownBy(() -> PexMessage.decode(dict(Map.of("added6", bytes(18), "added6.f", bytes(2)))))
                .isInstanceOf(WireException.class).hasMessageContaining("added6.f");
    }

    @Test
    void flagsLengthMismatchIsAnError() {
        assertThatThrownBy(() -> PexMessage.decode(dict(Map.of("added", bytes(12), "added.f", bytes(1)))))
                .isInstanceOf(WireException.class).hasMessageContaining("added.f has 1 flags for 2 peers");
    }

    @Test
    void flagsWithoutPeersIsAnError() {
        assertThatThrownBy(() -> PexMessage.decode(dict(Map.of("added.f", bytes(3)))))
                .isInstanceOf(WireException.class);
    }

    @Test
    void oversizeListIsAnError() {
        assertThat(PexMessage.decode(dict(Map.of("added", bytes(6 * PexMessage.MAX_PER_LIST)))).added())
                .hasSize(PexMessage.MAX_PER_LIST);
        assertThatThrownBy(() -> PexMessage.decode(dict(Map.of("added", bytes(6 * (PexMessage.MAX_PER_LIST + 1))))))
                .isInstanceOf(WireException.class).hasMessageContaining("more than 200");
    }

    @Test
    void addedThatIsAnIntegerIsAnError() {
        assertThatThrownBy(() -> PexMessage.decode(dict(Map.of("added", new BInt(6)))))
                .isInstanceOf(WireException.class).hasMessageContaining("not a byte string");
    }

    @Test
    void nestedListIsAnError() {
        assertThatThrownBy(() -> PexMessage.decode(dict(Map.of("added", new BList(List.of(bytes(6)))))))
                .isInstanceOf(WireException.class);
    }

    @Test
    void payloadThatIsNotADictionaryIsAnError() {
        assertThatThrownBy(() -> PexMessage.decode("5:added".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(WireException.class);
        assertThatThrownBy(() -> PexMessage.decode("d5:added".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(WireException.class);
        assertThatThrownBy(() -> PexMessage.decode(new byte[0])).isInstanceOf(WireException.class);
    }

    @Test
    void hugePayloadIsAnErrorBeforeDecoding() {
        assertThatThrownBy(() -> PexMessage.decode(new byte[64 * 1024])).isInstanceOf(WireException.class)
                .hasMessageContaining("bytes");
    }
}
