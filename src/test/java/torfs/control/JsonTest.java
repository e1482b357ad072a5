package torfs.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void writesAndReadsBackNestedValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "a\"b\\c\n\u0001é☃");
        m.put("n", 1L << 40);
        m.put("neg", -3L);
        m.put("d", 0.25);
        m.put("b", true);
        m.put("z", null);
        m.put("l", List.of(1L, "x", List.of()));
        String text = Json.write(m);
        assertThat(text).isEqualTo("{\"s\":\"a\\\"b\\\\c\\n\\u0001é☃\",\"n\":1099511627776,\"neg\":-3,\"d\":0.25,"
                + "\"b\":true,\"z\":null,\"l\":[1,\"x\",[]]}");
        assertThat(Json.parse(text)).isEqualTo(m);
    }

    @Test
    void readsEscapesAndWhitespace() {
        assertThat(Json.parse(" { \"a\" : [ \"\\u00e9\\/\\t\" , false ] } "))
                .isEqualTo(Map.of("a", List.of("é/\t", false)));
    }

    @Test
    void refusesMalformedInputInOneLine() {
        for (String bad : List.of("", "{", "{\"a\":}", "[1,]", "\"open", "{\"a\":1} x", "tru", "{a:1}",
                "\"\\x\"", "\"\\u12\"", "-", "1.2.3", "\"a\nb\"")) {
            assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("bad JSON at ");
        }
    }

    @Test
    void refusesDeepNestingInsteadOfExhaustingTheStack() {
        assertThatThrownBy(() -> Json.parse("[".repeat(100_000))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nested too deeply");
    }
}
