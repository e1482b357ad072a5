package torfs.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoopbackOriginTest {
    @Test
    void hostMustNameLoopback() {
        for (String ok : new String[] {"127.0.0.1:8099", "localhost:8099", "LOCALHOST:8099", "127.1.2.3:8099",
                "[::1]:8099", "127.0.0.1", "localhost:9000" /* an SSH tunnel's port */}) {
            assertThat(LoopbackOrigin.hostAllowed(ok)).as(ok).isTrue();
        }
        assertThat(LoopbackOrigin.hostAllowed(null)).isTrue(); // HTTP/1.0 without Host
        // a name that resolves to 127.0.0.1 (DNS rebinding) is not loopback by its spelling
        for (String bad : new String[] {"evil.example:8099", "127.0.0.1.evil.example:8099", "127.0.0.256:8099",
                "[::1", "[::2]:8099", "[::1]x", "127.0.0.1:80x", "127.0.0.1:", ""}) {
            assertThat(LoopbackOrigin.hostAllowed(bad)).as(bad).isFalse();
        }
    }

    @Test
    void aChangeMustComeFromTheOriginTheHostNames() {
        String host = "127.0.0.1:8099";
        assertThat(LoopbackOrigin.originAllowed("http://127.0.0.1:8099", null, host)).isTrue();
        assertThat(LoopbackOrigin.originAllowed(null, "http://127.0.0.1:8099/?x=1", host)).isTrue();
        assertThat(LoopbackOrigin.originAllowed(null, null, host)).isTrue(); // curl, scripts
        assertThat(LoopbackOrigin.originAllowed("http://localhost:9000", null, "localhost:9000")).isTrue();
        assertThat(LoopbackOrigin.originAllowed("http://127.0.0.1", null, "127.0.0.1:80")).isTrue();
        assertThat(LoopbackOrigin.originAllowed("https://evil.example", null, host)).isFalse();
        assertThat(LoopbackOrigin.originAllowed("http://127.0.0.1:3000", null, host)).as("another local service")
                .isFalse();
        assertThat(LoopbackOrigin.originAllowed("http://localhost:8099", null, host)).isFalse();
        assertThat(LoopbackOrigin.originAllowed("null", null, host)).isFalse();
        assertThat(LoopbackOrigin.originAllowed("file://", null, host)).isFalse();
        assertThat(LoopbackOrigin.originAllowed("http://evil.example", "http://127.0.0.1:8099/", host))
                .as("Origin decides when present").isFalse();
        assertThat(LoopbackOrigin.originAllowed(null, "http://evil.example/page", host)).isFalse();
        assertThat(LoopbackOrigin.originAllowed("http://[::1", null, host)).isFalse();
        assertThat(LoopbackOrigin.originAllowed("http://127.0.0.1:8099", null, null)).as("no Host to match")
                .isFalse();
    }
}
