package torfs.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class SourceRateLimitTest {
    @Test
    void burstThenSustainedRate() throws Exception {
        InetAddress a = InetAddress.getByName("127.0.0.2");
        SourceRateLimit l = new SourceRateLimit(10, 5, 100);
        int allowed = 0;
        for (int i = 0; i < 20; i++) {
            allowed += l.allow(a, 0) ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(5);
        assertThat(l.allow(a, 100)).as("one token after 100 ms at 10/s").isTrue();
        assertThat(l.allow(a, 100)).isFalse();
        assertThat(l.allow(InetAddress.getByName("127.0.0.3"), 100)).as("another source has its own bucket").isTrue();
    }

    @Test
    void manySourcesCostBoundedMemory() throws Exception {
        SourceRateLimit l = new SourceRateLimit(10, 5, 50);
        for (int i = 0; i < 200; i++) {
            l.allow(InetAddress.getByAddress(new byte[] {127, 0, (byte) (i >> 8), (byte) i}), 0);
        }
        assertThat(l.sources()).isEqualTo(50);
        // a second later all have refilled: idle ones are forgotten and newcomers get in
        assertThat(l.allow(InetAddress.getByName("127.9.9.9"), 1000)).isTrue();
        assertThat(l.sources()).isEqualTo(1);
    }
}
