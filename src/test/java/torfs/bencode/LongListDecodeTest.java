package torfs.bencode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Long lists decode their elements on reading; big dictionaries still refuse duplicate keys. */
class LongListDecodeTest {
    @Test
    void aLongListReadsBackElementByElementAsEncoded() throws Exception {
        List<BValue> files = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            Map<String, BValue> f = new LinkedHashMap<>();
            f.put("length", new BInt(i));
            f.put("path", new BList(List.of(BString.of("dir" + i % 7), BString.of("file" + i))));
            files.add(new BDict(f));
        }
        byte[] encoded = BencodeEncoder.encode(new BList(files));
        BList back = (BList) BencodeDecoder.decode(encoded);
        assertThat(back.values()).isInstanceOf(SpanList.class).hasSize(5000);
        assertThat(back).isEqualTo(new BList(files));
        BDict last = (BDict) back.values().get(4999);
        assertThat(last.get("length")).isEqualTo(new BInt(4999));
        assertThat(BencodeEncoder.encode(back)).isEqualTo(encoded);
    }

    @Test
    void anErrorLateInALongListIsFoundWhenDecoding() {
        StringBuilder s = new StringBuilder("l");
        for (int i = 0; i < 3000; i++) {
            s.append("i").append(i).append("e");
        }
        s.append("i01ee");
        assertThatThrownBy(() -> BencodeDecoder.decode(s.toString().getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(BencodeException.class).hasMessageContaining("leading zero");
    }

    @Test
    void aShortListIsHeldAsItsValues() throws Exception {
        BList l = (BList) BencodeDecoder.decode("li1ei2ee".getBytes(StandardCharsets.US_ASCII));
        assertThat(l.values()).isNotInstanceOf(SpanList.class).containsExactly(new BInt(1), new BInt(2));
    }

    @Test
    void aDuplicateKeyInABigDictionaryIsRefused() {
        StringBuilder s = new StringBuilder("d");
        for (int i = 0; i < 40; i++) {
            s.append(String.format("3:k%02di%de", i, i));
        }
        s.append("3:k07i0ee");
        assertThatThrownBy(() -> BencodeDecoder.decode(s.toString().getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(BencodeException.class).hasMessageContaining("duplicate dictionary key 'k07'");
    }

    @Test
    void dictionaryKeysKeepTheirOrderAndLookUp() throws Exception {
        BDict d = (BDict) BencodeDecoder.decode("d1:bi1e1:ai2ee".getBytes(StandardCharsets.US_ASCII));
        assertThat(d.entries().keySet()).containsExactly("b", "a");
        assertThat(d.get("a")).isEqualTo(new BInt(2));
        assertThat(d.get("c")).isNull();
        assertThat(d.size()).isEqualTo(2);
    }
}
