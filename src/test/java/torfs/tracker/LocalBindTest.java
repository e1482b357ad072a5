package torfs.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class LocalBindTest {
    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void theBindAddressIsUsedOnlyForItsOwnFamily() throws Exception {
        assertThat(LocalBind.forRemote(ip("127.0.0.2"), ip("127.0.0.1"))).isEqualTo(ip("127.0.0.2"));
        assertThat(LocalBind.forRemote(ip("::1"), ip("::1"))).isEqualTo(ip("::1"));
        assertThat(LocalBind.forRemote(ip("127.0.0.2"), ip("::1"))).isNull();
        assertThat(LocalBind.forRemote(ip("::1"), ip("127.0.0.1"))).isNull();
    }

    @Test
    void noBindOrAWildcardBindLeavesTheChoiceToTheKernel() throws Exception {
        assertThat(LocalBind.forRemote(null, ip("127.0.0.1"))).isNull();
        assertThat(LocalBind.forRemote(ip("0.0.0.0"), ip("127.0.0.1"))).isNull();
        assertThat(LocalBind.forRemote(ip("::"), ip("::1"))).isNull();
    }
}
