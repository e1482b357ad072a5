package torfs.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void escapesEverythingRfc8259Requires() {
        assertThat(Json.write("a\"b\\c\n\r\t\b\f\u0000\u001f\u007f/\u00e9\u65e5"))
                .isEqualTo("\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0000\\u001f\\u007f/\u00e9\u65e5\"");
    }

    @Test
    void keepsSurrogatePairsAndEscapesLoneSurrogates() {
        assertThat(Json.write("\uD83D\uDE00")).isEqualTo("\"\uD83D\uDE00\"");
        assertThat(Json.write("x\uD83Dy\uDE00")).isEqualTo("\"x\\ud83dy\\ude00\"");
    }

    @Test
    void writesStructures() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", 5_000_000_000L);
        m.put("b", true);
        m.put("z", null);
        m.put("l", List.of(1, "two", List.of()));
        m.put("k\"", Arrays.asList((Object) null));
        assertThat(Json.write(m)).isEqualTo("{\"n\":5000000000,\"b\":true,\"z\":null,"
                + "\"l\":[1,\"two\",[]],\"k\\\"\":[null]}");
    }
}
