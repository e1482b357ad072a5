package torfs.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExtensionHandshakeTest {
    private static ExtensionHandshake parse(String s) {
        return ExtensionHandshake.parse(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void metadataSizeAndPortRoundTrip() {
        ExtensionHandshake h = new ExtensionHandshake(Map.of("ut_metadata", 3), "TorFS", 500, 31_235, 6881);
        String wire = new String(h.encode(), StandardCharsets.US_ASCII);
        assertThat(wire).isEqualTo("d1:md11:ut_metadatai3ee13:metadata_sizei31235e1:pi6881e4:reqqi500e1:v5:TorFSe");
        ExtensionHandshake back = ExtensionHandshake.parse(h.encode());
        assertThat(back).isEqualTo(h);
    }

    @Test
    void absentMetadataSizeIsZero() {
        assertThat(parse("d1:md11:ut_metadatai2eee").metadataSize()).isZero();
        assertThat(new ExtensionHandshake(Map.of(), "x", 0).metadataSize()).isZero();
    }

    @Test
    void negativeMetadataSizeReadsAsAbsent() {
        assertThat(parse("d1:mde13:metadata_sizei-5ee").metadataSize()).isZero();
    }

    @Test
    void oversizeMetadataSizeReadsAsAbsent() {
        assertThat(parse("d1:mde13:metadata_sizei33554433ee").metadataSize()).isZero();
        assertThat(parse("d1:mde13:metadata_sizei33554432ee").metadataSize()).isEqualTo(MetadataMessage.MAX_SIZE);
    }

    @Test
    void metadataSizeOfTheWrongTypeReadsAsAbsent() {
        assertThat(parse("d1:mde13:metadata_size3:abce").metadataSize()).isZero();
    }

    @Test
    void portOutOfRangeReadsAsAbsent() {
        assertThat(parse("d1:mde1:pi70000ee").listenPort()).isZero();
        assertThat(parse("d1:mde1:pi0ee").listenPort()).isZero();
    }
}
