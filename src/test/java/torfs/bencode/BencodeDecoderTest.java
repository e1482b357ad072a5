package torfs.bencode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BencodeDecoderTest {
    private static BValue decode(String s) throws BencodeException {
        return BencodeDecoder.decode(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void decodesEveryType() throws Exception {
        BDict d = (BDict) decode("d3:agei-42e4:listl1:ai0ee4:name4:spame");
        assertThat(d.get("age")).isEqualTo(new BInt(-42));
        assertThat(((BString) d.get("name")).utf8()).isEqualTo("spam");
        assertThat(((BList) d.get("list")).values()).containsExactly(BString.of("a"), new BInt(0));
        assertThat(d.sourceStart()).isZero();
        assertThat(d.sourceEnd()).isEqualTo(38);
    }

    @Test
    void longRangeIsExact() throws Exception {
        assertThat(decode("i9223372036854775807e")).isEqualTo(new BInt(Long.MAX_VALUE));
        assertThat(decode("i-9223372036854775808e")).isEqualTo(new BInt(Long.MIN_VALUE));
        assertThatThrownBy(() -> decode("i9223372036854775808e")).hasMessageContaining("64-bit range");
    }

    @Test
    void rejectsNonCanonicalIntegers() {
        assertThatThrownBy(() -> decode("i03e")).hasMessage("integer with leading zero at byte 0");
        assertThatThrownBy(() -> decode("i-0e")).hasMessage("negative zero at byte 0");
        assertThatThrownBy(() -> decode("ie")).hasMessage("empty integer at byte 0");
        assertThatThrownBy(() -> decode("i1x2e")).hasMessage("non-digit in integer at byte 2");
    }

    @Test
    void declaredLengthBeyondDataFailsBeforeAllocating() {
        assertThatThrownBy(() -> decode("2147483647:abc"))
                .hasMessage("string length 2147483647 larger than the 3 bytes left at byte 0");
        assertThatThrownBy(() -> decode("99999999999:x")).hasMessageContaining("larger than the data");
        assertThatThrownBy(() -> decode("03:abc")).hasMessageContaining("leading zero");
    }

    @Test
    void rejectsStructuralDamage() {
        assertThatThrownBy(() -> decode("di1e1:ae")).hasMessage("dictionary key is not a string at byte 1");
        assertThatThrownBy(() -> decode("d1:ai1e1:ai2ee")).hasMessage("duplicate dictionary key 'a' at byte 7");
        assertThatThrownBy(() -> decode("l1:a")).hasMessage("unterminated list at byte 4");
        assertThatThrownBy(() -> decode("d1:a")).hasMessage("unexpected end of data at byte 4");
        assertThatThrownBy(() -> decode("i1ei2e")).hasMessage("trailing data after the value at byte 3");
        assertThatThrownBy(() -> decode("")).hasMessage("unexpected end of data at byte 0");
        assertThatThrownBy(() -> decode("x")).hasMessage("unexpected byte 0x78 at byte 0");
    }

    @Test
    void nestingIsBounded() {
        String ok = "l".repeat(100) + "e".repeat(100);
        String deep = "l".repeat(101) + "e".repeat(101);
        org.assertj.core.api.Assertions.assertThatCode(() -> decode(ok)).doesNotThrowAnyException();
        assertThatThrownBy(() -> decode(deep)).hasMessage("nesting deeper than 100 at byte 100");
    }

    @Test
    void tokenCountIsBounded() {
        byte[] data = ("l" + "i1e".repeat(50) + "e").getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> BencodeDecoder.decode(data, new BencodeLimits(10, 20)))
                .hasMessageContaining("more than 20 values");
    }

    @Test
    void encoderSortsKeysAndRoundTrips() throws Exception {
        BDict unsorted = (BDict) decode("d1:bi1e1:ai2ee");
        assertThat(new String(BencodeEncoder.encode(unsorted), StandardCharsets.ISO_8859_1))
                .isEqualTo("d1:ai2e1:bi1ee");
        byte[] canonical = "d4:infod6:lengthi5e4:name1:xee".getBytes(StandardCharsets.US_ASCII);
        assertThat(BencodeEncoder.encode(BencodeDecoder.decode(canonical))).isEqualTo(canonical);
    }

    @Test
    void prefixDecodingLeavesTrailingBytes() throws Exception {
        byte[] msg = "d8:msg_typei1eeRAWDATA".getBytes(StandardCharsets.US_ASCII);
        BencodeDecoder.Prefix p = BencodeDecoder.decodePrefix(msg, 0, msg.length);
        assertThat(p.end()).isEqualTo(15);
        assertThat(((BDict) p.value()).get("msg_type")).isEqualTo(new BInt(1));
    }
}
