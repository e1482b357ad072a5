package torfs.webseed;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebSeedTest {
    @Test
    void backoffDoublesToAMinute() {
        assertThat(WebSeed.backoffNanos(1)).isEqualTo(1_000_000_000L);
        assertThat(WebSeed.backoffNanos(2)).isEqualTo(2_000_000_000L);
        assertThat(WebSeed.backoffNanos(7)).isEqualTo(60_000_000_000L);
        assertThat(WebSeed.backoffNanos(100)).isEqualTo(60_000_000_000L);
    }
}
