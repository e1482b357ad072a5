package torfs.metainfo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8NamesTest {
    @Test
    void namesComeBackAsAddedWhateverTheirScriptAndCount() {
        Utf8Names.Builder b = new Utf8Names.Builder();
        for (int i = 0; i < 5000; i++) {
            assertThat(b.add("file" + i + (i % 7 == 0 ? "-日本語" : ""))).isEqualTo(i);
        }
        assertThat(b.add("")).isEqualTo(5000);
        Utf8Names names = b.build();
        assertThat(names.size()).isEqualTo(5001);
        assertThat(names.get(0)).isEqualTo("file0-日本語");
        assertThat(names.get(4999)).isEqualTo("file4999");
        assertThat(names.get(5000)).isEmpty();
        assertThat(names.lengthOf(0)).isEqualTo("file0-日本語".getBytes(StandardCharsets.UTF_8).length);
        assertThat(names.cString(1)).containsExactly('f', 'i', 'l', 'e', '1', 0);
    }

    @Test
    void orderIsUnsignedUtf8ByteOrder() {
        Utf8Names.Builder b = new Utf8Names.Builder();
        b.add("b");
        b.add("é"); // 0xc3 0xa9: after every ASCII name
        b.add("ba");
        Utf8Names names = b.build();
        assertThat(names.compare(0, 1)).isNegative();
        assertThat(names.compare(0, 2)).isNegative();
        assertThat(names.compare(1, 1)).isZero();
        assertThat(names.compareTo(1, "z".getBytes(StandardCharsets.UTF_8))).isPositive();
        assertThat(names.compareTo(2, "ba".getBytes(StandardCharsets.UTF_8))).isZero();
    }

    @Test
    void aNameCostsItsBytesAndOneInt() {
        Utf8Names.Builder b = new Utf8Names.Builder();
        for (int i = 0; i < 100_000; i++) {
            b.add(String.format("file%06d.txt", i)); // 14 bytes
        }
        assertThat(b.build().footprint()).isEqualTo(100_000L * 14 + 4L * 100_001);
    }
}
