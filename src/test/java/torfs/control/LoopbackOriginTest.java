package torfs.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoopbackOriginTest {
    @Test
    void hostMustNameLoopbackAndThisPort() {
        assertThat(LoopbackOrigin.hostAllowed("127.0.0.1:8099", 8099)).isTrue();
        assertThat(LoopbackOrigin.hostAllowed("localhost:8099", 8099)).isTrue();
        assertThat(LoopbackOrigin.hostAllowed("LOCALHOST:8099", 8099)).isTrue();
        assertThat(LoopbackOrigin.hostAllowed("127.1.2.3:8099", 8099)).isTrue();
        assertThat(LoopbackOrigin.hostAllowed("[::1]:8099", 8099)).isTrue();
        assertThat(LoopbackOrigin.hostAllowed("127.0.0.1", 80)).isTrue();
        assertThat(LoopbackOrigin.hostAllowed(null, 8099)).isTrue(); // HTTP/1.0 without Host
        // a name that resolves to 127.0.0.1 (DNS rebinding) is not loopback by its spelling
        assertThat(LoopbackOrigin.hostAllowed("evil.example:8099", 8099)).isFalse();
        assertThat(LoopbackOrigin.hostAllowed("127.0.0.1.evil.example:8099", 8099)).isFalse();
        assertThat(LoopbackOrigin.hostAllowed("127.0.0.1:8100", 8099)).isFalse();
        assertThat(LoopbackOrigin.hostAllowed("127.0.0.1", 8099)).isFalse();
        assertThat(LoopbackOrigin.hostAllowed("127.0.0.256:8099", 8099)).isFalse();
        assertThat(LoopbackOrigin.hostAllowed("[::1", 8099)).isFalse();
        assertThat(LoopbackOrigin.hostAllowed("[::2]:8099", 8099)).isFalse();
        assertThat(LoopbackOrigin.hostAllowed("127.0.0.1:80x", 8099)).isFalse();
        assertThat(LoopbackOrigin.hostAllowed("", 8099)).isFalse();
    }

    @Test
    void aChangeMustComeFromThisOriginOrFromNoBrowserPage() {
        assertThat(LoopbackOrigin.originAllowed("http://127.0.0.1:8099", null, 8099)).isTrue();
        assertThat(LoopbackOrigin.originAllowed(null, "http://localhost:8099/?x=1", 8099)).isTrue();
        assertThat(LoopbackOrigin.originAllowed(null, null, 8099)).isTrue(); // curl, scripts
        assertThat(LoopbackOrigin.originAllowed("https://evil.example", null, 8099)).isFalse();
        assertThat(LoopbackOrigin.originAllowed("http://127.0.0.1:3000", null, 8099)).isFalse();
        assertThat(LoopbackOrigin.originAllowed("null", null, 8099)).isFalse();
        assertThat(LoopbackOrigin.originAllowed("file://", null, 8099)).isFalse();
        assertThat(LoopbackOrigin.originAllowed("http://evil.example", "http://127.0.0.1:8099/", 8099))
                .as("Origin decides when present").isFalse();
        assertThat(LoopbackOrigin.originAllowed(null, "http://evil.example/page", 8099)).isFalse();
        assertThat(LoopbackOrigin.originAllowed("http://[::1", null, 8099)).isFalse();
    }
}
