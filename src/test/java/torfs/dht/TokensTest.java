package torfs.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Time is a number the test moves: a token lives through one rotation and dies at the second. */
class TokensTest {
    private static final long MIN = 60_000;

    @Test
    void tokenValidForFiveToTenMinutes() throws Exception {
        InetAddress a = InetAddress.getByName("127.0.0.5");
        long t0 = 1_000_000;
        Tokens tokens = new Tokens(new Random(3), t0);
        byte[] tok = tokens.issue(a, t0 + 4 * MIN);
        assertThat(tokens.accepts(tok, a, t0 + 4 * MIN)).isTrue();
        assertThat(tokens.accepts(tok, a, t0 + 9 * MIN)).as("previous secret").isTrue();
        assertThat(tokens.accepts(tok, a, t0 + 10 * MIN)).as("two rotations later").isFalse();
    }

    @Test
    void tokenIsBoundToTheRequesterAddress() throws Exception {
        Tokens tokens = new Tokens(new Random(3), 0);
        byte[] tok = tokens.issue(InetAddress.getByName("127.0.0.5"), 0);
        assertThat(tokens.accepts(tok, InetAddress.getByName("127.0.0.6"), 0)).isFalse();
        assertThat(tokens.accepts(new byte[8], InetAddress.getByName("127.0.0.5"), 0)).isFalse();
        assertThat(tokens.accepts(new byte[3], InetAddress.getByName("127.0.0.5"), 0)).isFalse();
    }

    @Test
    void longIdleForgetsBothSecrets() throws Exception {
        InetAddress a = InetAddress.getByName("127.0.0.5");
        Tokens tokens = new Tokens(new Random(3), 0);
        byte[] tok = tokens.issue(a, 0);
        assertThat(tokens.accepts(tok, a, 1000 * MIN)).isFalse();
        byte[] fresh = tokens.issue(a, 1000 * MIN);
        assertThat(tokens.accepts(fresh, a, 1004 * MIN)).isTrue();
    }
}
