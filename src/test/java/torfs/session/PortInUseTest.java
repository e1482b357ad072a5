package torfs.session;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A port another program holds is one plain line, in the system call's words, not Netty's. */
class PortInUseTest {
    @Test
    @Timeout(30)
    void aTakenPortSaysSoInOnePlainLine() throws Exception {
        try (ServerSocket other = new ServerSocket()) {
            other.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = other.getLocalPort();
            assertThatThrownBy(() -> Client.start(SeedToDownloadTest.on("127.0.0.1").withPort(port)).close())
                    .isInstanceOf(IOException.class)
                    .hasMessage("cannot listen on 127.0.0.1 port " + port + ": address already in use");
        }
    }
}
