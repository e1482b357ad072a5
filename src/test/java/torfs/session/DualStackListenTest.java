package torfs.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import torfs.tracker.Transports;
import torfs.transport.UdpEndpoint;

/** With no --bind the client listens on both families: 127.0.0.1 and ::1 both reach it. */
class DualStackListenTest {
    @Test
    @Timeout(30)
    void withoutABindAddressTcpAcceptsIpv4AndIpv6() throws Exception {
        try (Client c = Client.start(ClientSettings.defaults().withPort(0))) {
            for (String ip : new String[] {"127.0.0.1", "::1"}) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getByName(ip), c.port()), 5000);
                    assertThat(s.isConnected()).as(ip).isTrue();
                }
            }
        }
    }

    @Test
    @Timeout(30)
    void aWildcardUdpEndpointHearsIpv4AndIpv6() throws Exception {
        EventLoopGroup group = Transports.newEventLoopGroup(1);
        UdpEndpoint e = UdpEndpoint.bind(group, new InetSocketAddress(0));
        try (DatagramSocket v4 = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             DatagramSocket v6 = new DatagramSocket(new InetSocketAddress("::1", 0))) {
            BlockingQueue<String> got = new LinkedBlockingQueue<>();
            e.onKrpc((from, buf) -> {
                got.add(new String(ByteBufUtil.getBytes(buf)));
                e.send(from, Unpooled.copiedBuffer("dA".getBytes())); // and the answer gets back
            });
            int port = e.localAddress().getPort();
            v4.send(new DatagramPacket("d4".getBytes(), 2, InetAddress.getByName("127.0.0.1"), port));
            v6.send(new DatagramPacket("d6".getBytes(), 2, InetAddress.getByName("::1"), port));
            assertThat(java.util.List.of(got.poll(5, TimeUnit.SECONDS), got.poll(5, TimeUnit.SECONDS)))
                    .containsExactlyInAnyOrder("d4", "d6");
            for (DatagramSocket s : new DatagramSocket[] {v4, v6}) {
                s.setSoTimeout(5000);
                DatagramPacket p = new DatagramPacket(new byte[16], 16);
                s.receive(p);
                assertThat(new String(p.getData(), 0, p.getLength())).isEqualTo("dA");
            }
        } finally {
            e.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
